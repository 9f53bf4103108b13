import type { Kafka } from 'kafkajs';
import { committedOffsets, groupName } from '@customer-sync/kafka';
import { emulatorControl, TEST_STRIPE_KEY } from '@customer-sync/stripe-emulator-core';
import {
  readTopic,
  startServiceProcess,
  testKafka,
  TEST_KAFKA_BROKERS,
  TEST_KAFKA_SECURITY_ENV,
  waitFor,
  type ServiceProcess,
} from '@customer-sync/testing';
import { requestedCommand, syncResultsOf, useWorkerTestBed } from './worker-test-setup';

// The worker runs as its own process, as deployed, so SIGKILL stops it with commands in flight and
// nothing flushed or committed by a shutdown hook.
let worker: ServiceProcess | undefined;
// The commands are there before the worker starts (and creates its topics), as after a backlog.
const bed = useWorkerTestBed({ clientId: 'worker-crash-test', precreateTopics: true, stopFirst: () => worker?.stop() });
const { suffix, topics } = bed;
const kafka: Kafka = testKafka('worker-crash');

const startWorker = () =>
  startServiceProcess('stripe-sync-worker', {
    ...(TEST_KAFKA_SECURITY_ENV as Record<string, string>),
    KAFKA_BROKERS: TEST_KAFKA_BROKERS.join(','),
    KAFKA_CLIENT_ID: `worker-crash-${suffix}`,
    KAFKA_TOPIC_SUFFIX: suffix,
    KAFKA_TOPIC_PARTITIONS: '3',
    KAFKA_SESSION_TIMEOUT_MS: '6000',
    STRIPE_SECRET_KEY: TEST_STRIPE_KEY,
    STRIPE_API_URL: bed.emulator.url,
    STRIPE_MAX_RPS: '500',
    RETRY_BASE_MS: '20',
    RETRY_MAX_MS: '200',
  });

/** Where each of `count` commands sits in customer.requested: partition and offset, by command id. */
async function positions(count: number): Promise<Map<string, { partition: number; offset: number }>> {
  const consumer = kafka.consumer({
    groupId: `positions-${suffix}-${Math.random().toString(36).slice(2)}`,
    maxWaitTimeInMs: 200,
  });
  const found = new Map<string, { partition: number; offset: number }>();
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: topics.customerRequested, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) =>
        void found.set(JSON.parse(message.value!.toString()).id, { partition, offset: Number(message.offset) }),
    });
    await waitFor(() => found.size >= count, { what: 'every command read back', timeoutMs: 30_000 });
    return found;
  } finally {
    await consumer.disconnect();
  }
}

const resultsNow = async () => syncResultsOf(await readTopic(kafka, topics.customerSyncResults));

describe('stripe-sync-worker killed with commands in flight', () => {
  it('never committed a command whose result was not stored, and after a restart every command has a result, each customer applied in order', async () => {
    // Arrange: 40 customers, each a create then two updates; Stripe answers after 400 ms.
    await emulatorControl(bed.emulator, 'faults', { latencyMs: 400 });
    const customers = Array.from({ length: 40 }, () => crypto.randomUUID());
    const commands = [1, 2, 3].flatMap((version) =>
      customers.map((customerId) =>
        requestedCommand(customerId, {
          version,
          name: `v${version}`,
          email: 'crash@example.com',
          correlationId: 'worker-crash',
        }),
      ),
    );
    await bed.send(...commands);
    worker = await startWorker();

    // Act: kill it once part of the work is done (and committed at least once), then start another.
    const group = groupName('stripe-sync-worker', suffix);
    const admin = kafka.admin();
    await admin.connect();
    const committedCount = async () =>
      [...(await committedOffsets(admin, group, topics.customerRequested)).values()].reduce((a, b) => a + b, 0);
    await waitFor(async () => (await committedCount()) >= 20, {
      what: 'some offsets committed',
      timeoutMs: 60_000,
      intervalMs: 100,
    });
    await worker.kill();
    const committed = await committedOffsets(admin, group, topics.customerRequested);
    await admin.disconnect();

    // Assert: below each partition's committed offset, every command has a stored result.
    const where = await positions(commands.length);
    const before = await resultsNow();
    const belowCommit = commands.filter(
      (c) => where.get(c.id)!.offset < (committed.get(where.get(c.id)!.partition) ?? 0),
    );
    expect(belowCommit.length).toBeLessThan(commands.length);
    expect(belowCommit.filter((c) => !before.some((r) => r.requestId === c.id)).map((c) => c.id)).toEqual([]);

    worker = await startWorker();
    await waitFor(
      async () => {
        const after = await resultsNow();
        return commands.every((c) => after.some((r) => r.requestId === c.id));
      },
      { what: 'a result for every command after the restart', timeoutMs: 90_000, intervalMs: 500 },
    );
    await emulatorControl(bed.emulator, 'faults', { latencyMs: 0 });
    const after = await resultsNow();
    expect(after.filter((r) => r.outcome !== 'synced')).toEqual([]);
    const stripe = bed.stripe();
    for (const customerId of customers) {
      const found = (await stripe.customers.search({ query: `metadata['customer_sync_id']:'${customerId}'` })).data;
      expect(found).toHaveLength(1);
      expect(found[0]).toMatchObject({ name: 'v3' });
    }
  });
});
