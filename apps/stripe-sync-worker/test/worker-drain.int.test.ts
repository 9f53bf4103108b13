import { committedOffsets, groupName } from '@customer-sync/kafka';
import { emulatorControl } from '@customer-sync/stripe-emulator-core';
import { readTopic, testKafka, waitFor } from '@customer-sync/testing';
import type { StripeSyncWorker } from '../src/service';
import { requestedCommand, startInProcessWorker, syncResultsOf, useWorkerTestBed } from './worker-test-setup';

const IN_FLIGHT = 6;

let worker: StripeSyncWorker | undefined;
const bed = useWorkerTestBed({
  clientId: 'worker-drain-test',
  recorder: true,
  precreateTopics: true,
  stopFirst: () => worker?.stop(),
});
const { suffix, topics } = bed;

const startWorker = () => startInProcessWorker(bed, { STRIPE_MAX_RPS: '500', WORKER_CONCURRENCY: String(IN_FLIGHT) });

const resultsNow = async () => syncResultsOf(await readTopic(testKafka(), topics.customerSyncResults));

describe('stripe-sync-worker stopped (SIGTERM) with commands in flight', () => {
  it('finishes the commands in flight, stores and commits their results, starts no others; its successor does the rest and repeats none', async () => {
    // Arrange: Stripe answers after a second, so the stop comes while the first commands wait for it.
    await emulatorControl(bed.emulator, 'faults', { latencyMs: 1000 });
    const commands = Array.from({ length: 24 }, (_, n) =>
      requestedCommand(crypto.randomUUID(), {
        name: `Drain ${n}`,
        email: 'drain@example.com',
        correlationId: 'worker-drain',
      }),
    );
    await bed.send(...commands);
    worker = await startWorker();
    await waitFor(() => bed.recorder.open() >= IN_FLIGHT, {
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

    await emulatorControl(bed.emulator, 'faults', { latencyMs: 0 });
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
