import request from 'supertest';
import { StripeSyncWorkerEnv } from '@customer-sync/config';
import {
  CustomerSyncResult,
  dlqTopicOf,
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
  TEST_STRIPE_KEY,
} from '@customer-sync/stripe-emulator-core';
import {
  collectTopic,
  serviceConfig,
  testKafka,
  testLogger,
  TEST_KAFKA_BROKERS,
  TEST_KAFKA_SECURITY,
  uniqueSuffix,
  waitFor,
} from '@customer-sync/testing';
import { start, type StripeSyncWorker } from '../src/service';

let emulator: RunningEmulator;
let producer: SafeProducer;
const running: Array<{ stop(): Promise<void> }> = [];

beforeAll(async () => {
  emulator = await startTestEmulator();
  producer = createIdempotentProducer(
    createKafkaClient({
      brokers: TEST_KAFKA_BROKERS,
      clientId: 'key-outage-test',
      logger: testLogger(),
      security: TEST_KAFKA_SECURITY,
    }),
  );
  await producer.connect();
});
afterEach(async () => {
  for (const r of running.splice(0).reverse()) await r.stop();
});
afterAll(async () => {
  await producer.disconnect();
  await emulator.stop();
});
beforeEach(() => emulatorControl(emulator, 'reset'));

/** A worker on its own topics, its key probed every 200 ms, with what it publishes and dead-letters collected. */
async function startWorker() {
  const suffix = uniqueSuffix();
  const topics = resolveTopics(suffix);
  const worker: StripeSyncWorker = await start(
    serviceConfig(StripeSyncWorkerEnv, {
      KAFKA_TOPIC_SUFFIX: suffix,
      STRIPE_API_URL: emulator.url,
      STRIPE_MAX_RPS: '50',
      STRIPE_KEY_PROBE_MS: '200',
    }),
    testLogger('stripe-sync-worker'),
  );
  running.push(worker);
  await worker.kafkaStarted;
  const results = await collectTopic(testKafka(), topics.customerSyncResults);
  const deadLetters = await collectTopic(testKafka(), dlqTopicOf(topics.customerRequested));
  running.push(results, deadLetters);
  const outcomes = () => results.messages.map((m) => parseEnvelope(CustomerSyncResult, m.value).payload);
  const send = async (count: number) => {
    const commands = Array.from({ length: count }, () =>
      makeEnvelope(
        'customer.requested',
        {
          action: 'create',
          version: 1,
          customerId: crypto.randomUUID(),
          stripeCustomerId: null,
          changes: {
            fields: { name: 'Jenny Rosen', email: 'jenny@example.com', phone: null, description: null },
            metadata: { set: {}, unset: [] },
          },
        } satisfies CustomerRequestedPayload,
        { correlationId: 'key-outage' },
      ),
    );
    await publish(
      producer,
      topics.customerRequested,
      commands.map((c) => ({ key: c.payload.customerId, value: JSON.stringify(c) })),
    );
    return commands.map((c): string => c.payload.customerId);
  };
  const syncedAll = (ids: string[]) =>
    waitFor(() => ids.every((id) => outcomes().some((o) => o.customerId === id && o.outcome === 'synced')), {
      what: 'every command synced',
      timeoutMs: 30_000,
    });
  const keyRefusedMetric = async () =>
    Number(/^stripe_key_refused\{[^}]*\} (\d+)$/m.exec((await request(worker.url).get('/metrics')).text)?.[1]);
  return { worker, outcomes, deadLetters, send, syncedAll, keyRefusedMetric };
}

const revoke = (list: 'revoked' | 'forbidden', keys: string[]) =>
  emulatorControl(emulator, 'api-keys', { [list]: keys });

describe('a Stripe key refused (401/403) is an outage of the worker, not failed customers', () => {
  it('when the key is revoked mid-stream, pauses without failing or dead-lettering anyone, turns unready with the reason, and syncs everything once the key works again', async () => {
    const w = await startWorker();
    await w.syncedAll(await w.send(1));

    await revoke('revoked', [TEST_STRIPE_KEY]);
    const during = await w.send(5);
    const ready = await waitFor(
      async () => {
        const answer = await request(w.worker.url).get('/ready');
        return answer.status === 503 ? answer : undefined;
      },
      { what: '/ready to turn 503' },
    );
    expect(ready.body).toMatchObject({
      status: 'not_ready',
      checks: { stripe: 'failing', kafka: 'ok' },
      reasons: { stripe: expect.stringMatching(/401.*Expired API Key/) },
    });
    expect(JSON.stringify(ready.body)).not.toContain(TEST_STRIPE_KEY);
    expect(await w.keyRefusedMetric()).toBe(1);
    await new Promise((r) => setTimeout(r, 1500));
    expect(w.outcomes().filter((o) => during.includes(o.customerId))).toEqual([]);

    await revoke('revoked', []);
    await w.syncedAll(during);
    expect((await request(w.worker.url).get('/ready')).status).toBe(200);
    expect(await w.keyRefusedMetric()).toBe(0);
    expect(w.outcomes().filter((o) => o.outcome !== 'synced')).toEqual([]);
    expect(w.deadLetters.messages).toHaveLength(0);
    for (const id of during) {
      expect(
        (await emulatorStripe(emulator).customers.search({ query: `metadata['customer_sync_id']:'${id}'` })).data,
      ).toHaveLength(1);
    }
  });

  it('when the key is refused at start (403), starts paused and unready, and syncs once the key is allowed', async () => {
    await revoke('forbidden', [TEST_STRIPE_KEY]);
    const w = await startWorker();
    expect((await request(w.worker.url).get('/ready')).body).toMatchObject({
      status: 'not_ready',
      reasons: { stripe: expect.stringMatching(/403/) },
    });
    const ids = await w.send(3);
    await new Promise((r) => setTimeout(r, 1500));
    expect(w.outcomes()).toEqual([]);

    await revoke('forbidden', []);
    await w.syncedAll(ids);
    expect(w.outcomes().filter((o) => o.outcome !== 'synced')).toEqual([]);
    expect(w.deadLetters.messages).toHaveLength(0);
  });
});
