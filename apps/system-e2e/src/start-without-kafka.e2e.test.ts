import { Kafka, logLevel } from 'kafkajs';
import { dlqTopicOf } from '@customer-sync/contracts';
import { resolveTopics } from '@customer-sync/kafka';
import {
  collectTopic,
  createTestDatabase,
  dedicatedBroker,
  serviceProcessEnv,
  startServiceProcess,
  uniqueSuffix,
  waitFor,
  type ServiceProcess,
  type TestDatabase,
} from '@customer-sync/testing';

// This file starts Kafka only after the services, so it runs against a broker of its own.
const broker = dedicatedBroker(19392);
const suffix = uniqueSuffix();
const topics = resolveTopics(suffix);
let database: TestDatabase;
const services: ServiceProcess[] = [];

beforeAll(async () => {
  await broker.destroy();
  database = await createTestDatabase();
}, 120_000);
afterAll(async () => {
  await Promise.all(services.map((s) => s.stop()));
  await database?.drop();
  await broker.destroy();
}, 120_000);

const status = async (url: string, path: string) => (await fetch(`${url}${path}`).catch(() => undefined))?.status;

describe('a consuming service started while Kafka is down', () => {
  it('answers /health at once, /ready 503 until Kafka comes, then joins and consumes', async () => {
    // Arrange: both consumers start with no broker listening.
    const env = {
      ...serviceProcessEnv(database.url, broker.brokers, `no-kafka-${suffix}`, suffix),
      STRIPE_SECRET_KEY: 'sk_test_customersync0000000000',
      STRIPE_API_URL: 'http://127.0.0.1:9',
    };
    for (const app of ['stripe-sync-worker', 'db-writer']) services.push(await startServiceProcess(app, env));
    for (const service of services) {
      expect(await status(service.url, '/health')).toBe(200);
      expect(await status(service.url, '/ready')).toBe(503);
    }

    // Act: Kafka arrives.
    await broker.start();

    // Assert: both turn ready and consume (a malformed message reaches each input's DLQ).
    for (const service of services) {
      await waitFor(async () => (await status(service.url, '/ready')) === 200, {
        what: `${service.name} ready`,
        timeoutMs: 90_000,
        intervalMs: 250,
      });
    }
    const kafka = new Kafka({ clientId: 'no-kafka-test', brokers: [broker.brokers], logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    for (const topic of [topics.customerRequested, topics.stripeEvents]) {
      const dlq = await collectTopic(kafka, dlqTopicOf(topic));
      await producer.send({ topic, messages: [{ key: 'k', value: 'not json' }] });
      await waitFor(() => dlq.messages.length === 1, { what: `${topic} consumed`, timeoutMs: 30_000 });
      await dlq.stop();
    }
    await producer.disconnect();
  }, 240_000);
});
