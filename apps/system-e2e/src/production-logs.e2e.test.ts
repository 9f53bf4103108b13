import {
  createTestDatabase,
  freePort,
  startServiceProcess,
  type ServiceProcess,
  type TestDatabase,
} from '@customer-sync/testing';

let database: TestDatabase;
let service: ServiceProcess | undefined;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await service?.stop();
  await database.drop();
});

describe('logs in production', () => {
  it('every line is JSON, including the Kafka client’s while it cannot reach the broker', async () => {
    // Arrange: production defaults (no LOG_FORMAT), a broker address where nothing listens.
    service = await startServiceProcess('db-writer', {
      NODE_ENV: 'production',
      LOG_FORMAT: '',
      LOG_LEVEL: 'info',
      DATABASE_URL: database.url,
      KAFKA_BROKERS: `127.0.0.1:${await freePort()}`,
      KAFKA_CLIENT_ID: 'production-logs',
      STRIPE_SECRET_KEY: 'sk_test_customersync0000000000',
      STRIPE_API_URL: 'http://127.0.0.1:9',
    });

    // Act: let kafkajs fail to connect a few times, then stop.
    await new Promise((resolve) => setTimeout(resolve, 4000));
    await service.stop();

    // Assert
    const lines = service
      .output()
      .split('\n')
      .filter((l) => l.trim() !== '');
    const entries = lines.map((line) => {
      try {
        return JSON.parse(line) as { message: string; service: string };
      } catch {
        throw new Error(`not a JSON line: ${line}`);
      }
    });
    expect(entries.some((e) => e.message.startsWith('kafkajs'))).toBe(true);
    expect(entries.every((e) => e.service === 'db-writer')).toBe(true);
  }, 60_000);
});
