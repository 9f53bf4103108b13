import request from 'supertest';
import { dlqTopicOf } from '@customer-sync/contracts';
import { resolveTopics } from '@customer-sync/kafka';
import { emulatorControl, emulatorStripe, TEST_STRIPE_KEY } from '@customer-sync/stripe-emulator-core';
import { collectTopic, testKafka, uniqueSuffix, waitFor } from '@customer-sync/testing';
import {
  publishCommands,
  requestedCommand,
  startInProcessWorker,
  syncResultsOf,
  useWorkerTestBed,
} from './worker-test-setup';

const bed = useWorkerTestBed({ clientId: 'key-outage-test' });
const running: Array<{ stop(): Promise<void> }> = [];

afterEach(async () => {
  for (const r of running.splice(0).reverse()) await r.stop();
});

/** A worker on its own topics, its key probed every 200 ms, with what it publishes and dead-letters collected. */
async function startWorker() {
  const suffix = uniqueSuffix();
  const topics = resolveTopics(suffix);
  const worker = await startInProcessWorker(
    { suffix, stripeUrl: () => bed.emulator.url },
    { STRIPE_MAX_RPS: '50', STRIPE_KEY_PROBE_MS: '200' },
  );
  running.push(worker);
  const results = await collectTopic(testKafka(), topics.customerSyncResults);
  const deadLetters = await collectTopic(testKafka(), dlqTopicOf(topics.customerRequested));
  running.push(results, deadLetters);
  const outcomes = () => syncResultsOf(results.messages);
  const send = async (count: number) => {
    const commands = Array.from({ length: count }, () =>
      requestedCommand(crypto.randomUUID(), { correlationId: 'key-outage' }),
    );
    await publishCommands(bed.producer, topics.customerRequested, commands);
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
  emulatorControl(bed.emulator, 'api-keys', { [list]: keys });

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
        (await emulatorStripe(bed.emulator).customers.search({ query: `metadata['customer_sync_id']:'${id}'` })).data,
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
