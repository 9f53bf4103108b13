import { dlqTopicOf } from '@customer-sync/contracts';
import { resolveTopics, type TopicMap } from '@customer-sync/kafka';
import {
  collectTopic,
  createTestDatabase,
  serviceProcessEnv,
  startServiceProcess,
  TEST_KAFKA_BROKERS,
  TEST_KAFKA_SECURITY_ENV,
  testKafka,
  uniqueSuffix,
  waitFor,
  type ServiceProcess,
  type TestDatabase,
} from '@customer-sync/testing';

// The two consumers restart as an orchestrator restarts them after a crash: SIGKILL, then a new process
// at once. Their config keeps the default session timeout, so the time measured is the one deployed.
const CONSUMERS: [app: string, input: (t: TopicMap) => string][] = [
  ['stripe-sync-worker', (t) => t.customerRequested],
  ['db-writer', (t) => t.stripeEvents],
];

let database: TestDatabase;
const kafka = testKafka('consumer-restart');
const producer = kafka.producer();

beforeAll(async () => {
  database = await createTestDatabase();
  await producer.connect();
});
afterAll(async () => {
  await producer.disconnect();
  await database.drop();
});

/** Publishes one raw message, retrying while the broker still settles a new topic's leaders. */
const publishRaw = (topic: string, value: string) =>
  waitFor(() => producer.send({ topic, messages: [{ key: 'k', value }] }).then(() => true), {
    what: `publish to ${topic}`,
    timeoutMs: 20_000,
    intervalMs: 500,
  });

const status = async (url: string, path: string) => (await fetch(`${url}${path}`).catch(() => undefined))?.status;

describe.each(CONSUMERS)('%s restarted after a SIGKILL', (app, inputOf) => {
  const suffix = uniqueSuffix();
  const topics = resolveTopics(suffix);
  const env = {
    ...(TEST_KAFKA_SECURITY_ENV as Record<string, string>),
    ...serviceProcessEnv('', TEST_KAFKA_BROKERS.join(','), `restart-${suffix}`, suffix),
    STRIPE_SECRET_KEY: 'sk_test_customersync0000000000',
    STRIPE_API_URL: 'http://127.0.0.1:9',
  };
  let service: ServiceProcess | undefined;
  afterAll(async () => {
    await service?.stop();
  });

  it('answers /health before it has joined its group, and consumes again within 10 s', async () => {
    // Arrange: a running consumer that has processed one message (a malformed one: it goes to the DLQ).
    service = await startServiceProcess(app, { ...env, DATABASE_URL: database.url });
    // Ready: topics created, group joined.
    await waitFor(async () => (await status(service!.url, '/ready')) === 200, {
      what: 'first start ready',
      timeoutMs: 60_000,
    });
    const dlq = await collectTopic(kafka, dlqTopicOf(inputOf(topics)));
    await publishRaw(inputOf(topics), 'not json 1');
    await waitFor(() => dlq.messages.length === 1, { what: 'first message consumed', timeoutMs: 60_000 });

    // Act: crash it and start a new process straight away.
    await service.kill();
    const killedAt = Date.now();
    await publishRaw(inputOf(topics), 'not json 2');
    service = await startServiceProcess(app, { ...env, DATABASE_URL: database.url });
    const healthMs = Date.now() - killedAt;
    const readyAtFirstHealth = await status(service.url, '/ready');
    await waitFor(() => dlq.messages.length === 2, {
      what: 'consuming after the restart',
      timeoutMs: 60_000,
      intervalMs: 20,
    });
    const consumingMs = Date.now() - killedAt;
    await waitFor(async () => (await status(service!.url, '/ready')) === 200, { what: '/ready after the join' });
    await dlq.stop();
    process.stderr.write(`${app}: /health ${healthMs} ms, consuming ${consumingMs} ms after the SIGKILL\n`);

    // Assert: liveness does not wait for the group; readiness does; the gap is bounded.
    expect(readyAtFirstHealth).toBe(503);
    // Within 10 s of the crash. On a machine so loaded that the test's tsx process alone needs longer to
    // boot than that (a bundled image boots in under a second), the session has long expired by then,
    // and the bound is the join: consuming within 3 s of the first /health.
    expect(consumingMs).toBeLessThanOrEqual(Math.max(10_000, healthMs + 3_000));
  }, 120_000);
});
