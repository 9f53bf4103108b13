import { StripeSyncWorkerEnv } from '@customer-sync/config';
import {
  CustomerSyncResult,
  makeEnvelope,
  parseEnvelope,
  type CustomerRequestedPayload,
} from '@customer-sync/contracts';
import {
  createIdempotentProducer,
  createKafkaClient,
  publish,
  resolveTopics,
  type SafeProducer,
} from '@customer-sync/kafka';
import {
  type RunningEmulator,
  emulatorControl,
  emulatorStripe,
  startTestEmulator,
} from '@customer-sync/stripe-emulator-core';
import {
  collectTopic,
  serviceConfig,
  testKafka,
  testLogger,
  TEST_KAFKA_BROKERS,
  uniqueSuffix,
  waitFor,
} from '@customer-sync/testing';
import { start, type StripeSyncWorker } from '../src/service';
import { startStripeRecorder, type StripeRecorder } from './stripe-recorder';

const suffix = uniqueSuffix();
const topics = resolveTopics(suffix);
const PARTITIONS = 3;

let emulator: RunningEmulator;
let recorder: StripeRecorder;
let worker: StripeSyncWorker;
let producer: SafeProducer;
let results: Awaited<ReturnType<typeof collectTopic>>;

beforeAll(async () => {
  emulator = await startTestEmulator();
  recorder = await startStripeRecorder(emulator.url);
  worker = await start(
    serviceConfig(StripeSyncWorkerEnv, {
      KAFKA_TOPIC_SUFFIX: suffix,
      KAFKA_TOPIC_PARTITIONS: String(PARTITIONS),
      STRIPE_API_URL: recorder.url,
      STRIPE_MAX_RPS: '500',
      WORKER_CONCURRENCY: '16',
    }),
    testLogger('stripe-sync-worker'),
  );
  await worker.kafkaStarted;
  producer = createIdempotentProducer(
    createKafkaClient({ brokers: TEST_KAFKA_BROKERS, clientId: 'concurrent-worker-test', logger: testLogger() }),
  );
  await producer.connect();
  results = await collectTopic(testKafka(), topics.customerSyncResults);
});
afterAll(async () => {
  await results.stop();
  await producer.disconnect();
  await worker.stop();
  await recorder.stop();
  await emulator.stop();
});

const fields = (name: string) => ({
  fields: { name, email: 'jenny@example.com', phone: null, description: null },
  metadata: { set: {}, unset: [] },
});

function command(customerId: string, version: number) {
  const payload = {
    action: version === 1 ? 'create' : 'update',
    customerId,
    version,
    stripeCustomerId: null,
    changes: fields(`v${version}`),
  } satisfies CustomerRequestedPayload;
  return makeEnvelope('customer.requested', payload, { correlationId: 'concurrent' });
}

const outcomes = () => results.messages.map((m) => parseEnvelope(CustomerSyncResult, m.value).payload);

describe('several commands in flight per partition, in order per customer', () => {
  it('with Stripe answering after 300 ms, works on many customers at once while one customer’s create and updates reach Stripe one after another, in order', async () => {
    // Arrange: 24 customers' creates, and one customer's create and three updates spread among them.
    await emulatorControl(emulator, 'faults', { latencyMs: 300 });
    const busy = crypto.randomUUID();
    const others = Array.from({ length: 24 }, () => command(crypto.randomUUID(), 1));
    const mine = [1, 2, 3, 4].map((version) => command(busy, version));
    const all = [
      ...others.slice(0, 6),
      mine[0]!,
      ...others.slice(6, 12),
      mine[1]!,
      ...others.slice(12, 18),
      mine[2]!,
      ...others.slice(18),
      mine[3]!,
    ];

    // Act
    await publish(
      producer,
      topics.customerRequested,
      all.map((c) => ({ key: c.payload.customerId, value: JSON.stringify(c) })),
    );
    await waitFor(() => all.every((c) => outcomes().some((o) => o.requestId === c.id)), {
      what: 'a result for every command',
      timeoutMs: 60_000,
    });

    // Assert: more calls open at once than there are partitions (one at a time per partition before).
    expect(recorder.maxOpen()).toBeGreaterThan(PARTITIONS);
    expect(outcomes().filter((o) => o.outcome !== 'synced')).toEqual([]);
    // The busy customer's writes: in command order, each started after the one before had answered.
    const writes = recorder.calls
      .filter((c) => mine.some((m) => c.idempotencyKey?.startsWith(`customer-sync:${m.id}:`)))
      .sort((a, b) => a.startedAt - b.startedAt);
    expect(writes.map((w) => w.idempotencyKey)).toEqual([
      `customer-sync:${mine[0]!.id}:create`,
      ...mine.slice(1).map((m) => `customer-sync:${m.id}:update`),
    ]);
    for (let i = 1; i < writes.length; i++) expect(writes[i]!.startedAt).toBeGreaterThanOrEqual(writes[i - 1]!.endedAt);
    expect(
      outcomes()
        .filter((o) => o.customerId === busy)
        .map((o) => o.version),
    ).toEqual([1, 2, 3, 4]);
    const [inStripe] = (
      await emulatorStripe(emulator).customers.search({ query: `metadata['customer_sync_id']:'${busy}'` })
    ).data;
    expect(inStripe).toMatchObject({ name: 'v4' });
  });
});
