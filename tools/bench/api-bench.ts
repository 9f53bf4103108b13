// Sustained customer creates through the REST API: each one a transaction (row + outbox entry),
// then published by the relay to Kafka.
import { ApiServiceEnv } from '@customer-sync/config';
import { createTestDatabase, serviceConfig, startServiceProcess, TEST_API_KEY, TEST_KAFKA_BROKERS, uniqueSuffix, waitFor } from '@customer-sync/testing';
import { benchDurationSeconds, line, load } from './bench-kit';

const DURATION = benchDurationSeconds();

async function main() {
  const database = await createTestDatabase();
  const env = serviceConfig(ApiServiceEnv, { DATABASE_URL: database.url });
  const api = await startServiceProcess('api-service', {
    DATABASE_URL: database.url,
    KAFKA_BROKERS: TEST_KAFKA_BROKERS.join(','),
    KAFKA_CLIENT_ID: 'bench',
    KAFKA_TOPIC_SUFFIX: `bench-${uniqueSuffix()}`,
    API_KEYS: TEST_API_KEY,
    LOG_LEVEL: 'error',
    DATABASE_POOL_MAX: String(env.DATABASE_POOL_MAX),
  });
  let n = 0;
  const run = (duration: number) =>
    load({
      url: `${api.url}/customers`,
      method: 'POST',
      duration,
      connections: 20,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_API_KEY}` },
      requests: [{ setupRequest: (req) => ({ ...req, body: JSON.stringify({ name: 'Bench', email: `bench${n++}@example.com` }) }) }],
    });
  await run(2);
  const started = Date.now();
  const result = await run(DURATION);
  const created = Number((await database.db('customers').count('* as n').first())!.n);
  await waitFor(async () => Number((await database.db('outbox').whereNull('published_at').count('* as n').first())!.n) === 0, { what: 'outbox drained', timeoutMs: 120_000 });
  const drainedMs = Date.now() - started;
  console.log(`\n20 connections, ${DURATION} s`);
  console.log(line('POST /customers (202, row + outbox atomically)', result));
  console.log(`${created} customers written; outbox fully published to Kafka ${((drainedMs - DURATION * 1000) / 1000).toFixed(1)} s after the load ended`);
  await api.stop();
  await database.drop();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
