import { StripeSyncWorkerEnv } from '@customer-sync/config';
import {
  CustomerSyncResult,
  makeEnvelope,
  parseEnvelope,
  type CustomerRequestedPayload,
} from '@customer-sync/contracts';
import {
  committedOffsets,
  createIdempotentProducer,
  createKafkaClient,
  ensureTopics,
  groupName,
  publish,
  resolveTopics,
  type SafeProducer,
} from '@customer-sync/kafka';
import { type RunningEmulator, emulatorControl, startTestEmulator } from '@customer-sync/stripe-emulator-core';
import {
  readTopic,
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
const IN_FLIGHT = 6;

let emulator: RunningEmulator;
let recorder: StripeRecorder;
let producer: SafeProducer;
let worker: StripeSyncWorker | undefined;

const startWorker = async () => {
  const started = await start(
    serviceConfig(StripeSyncWorkerEnv, {
      KAFKA_TOPIC_SUFFIX: suffix,
      STRIPE_API_URL: recorder.url,
      STRIPE_MAX_RPS: '500',
      WORKER_CONCURRENCY: String(IN_FLIGHT),
    }),
    testLogger('stripe-sync-worker'),
  );
  await started.kafkaStarted;
  return started;
};

beforeAll(async () => {
  emulator = await startTestEmulator();
  recorder = await startStripeRecorder(emulator.url);
  const client = createKafkaClient({
    brokers: TEST_KAFKA_BROKERS,
    clientId: 'worker-drain-test',
    logger: testLogger(),
  });
  await ensureTopics(client, [topics.customerRequested, topics.customerSyncResults], {
    partitions: 3,
    replicationFactor: 1,
  });
  producer = createIdempotentProducer(client);
  await producer.connect();
});
afterAll(async () => {
  await worker?.stop();
  await producer.disconnect();
  await recorder.stop();
  await emulator.stop();
});

const resultsNow = async () =>
  (await readTopic(testKafka(), topics.customerSyncResults)).map(
    (m) => parseEnvelope(CustomerSyncResult, m.value).payload,
  );

describe('stripe-sync-worker stopped (SIGTERM) with commands in flight', () => {
  it('finishes the commands in flight, stores and commits their results, starts no others; its successor does the rest and repeats none', async () => {
    // Arrange: Stripe answers after a second, so the stop comes while the first commands wait for it.
    await emulatorControl(emulator, 'faults', { latencyMs: 1000 });
    const commands = Array.from({ length: 24 }, (_, n) =>
      makeEnvelope(
        'customer.requested',
        {
          action: 'create',
          customerId: crypto.randomUUID(),
          version: 1,
          stripeCustomerId: null,
          changes: {
            fields: { name: `Drain ${n}`, email: 'drain@example.com', phone: null, description: null },
            metadata: { set: {}, unset: [] },
          },
        } satisfies CustomerRequestedPayload,
        { correlationId: 'worker-drain' },
      ),
    );
    await publish(
      producer,
      topics.customerRequested,
      commands.map((c) => ({ key: c.payload.customerId, value: JSON.stringify(c) })),
    );
    worker = await startWorker();
    await waitFor(() => recorder.open() >= IN_FLIGHT, {
      what: 'a full window of Stripe calls open',
      timeoutMs: 30_000,
      intervalMs: 20,
    });

    // Act
    await worker.stop();
    worker = undefined;

    // Assert: what was in flight finished and is committed; nothing else started.
    const drained = await resultsNow();
    expect(drained.length).toBe(IN_FLIGHT);
    expect(drained.filter((r) => r.outcome !== 'synced')).toEqual([]);
    const admin = testKafka().admin();
    await admin.connect();
    const committed = await committedOffsets(admin, groupName('stripe-sync-worker', suffix), topics.customerRequested);
    await admin.disconnect();
    expect([...committed.values()].reduce((a, b) => a + b, 0)).toBe(IN_FLIGHT);

    await emulatorControl(emulator, 'faults', { latencyMs: 0 });
    worker = await startWorker();
    const all = await waitFor(
      async () => {
        const now = await resultsNow();
        return commands.every((c) => now.some((r) => r.requestId === c.id)) ? now : undefined;
      },
      { what: 'a result for every command', timeoutMs: 60_000, intervalMs: 300 },
    );
    expect(all).toHaveLength(commands.length);
  });
});
