import { emulatorControl, emulatorStripe } from '@customer-sync/stripe-emulator-core';
import { waitFor } from '@customer-sync/testing';
import { requestedCommand, useRunningWorker } from './worker-test-setup';

const PARTITIONS = 3;

const bed = useRunningWorker({
  clientId: 'concurrent-worker-test',
  recorder: true,
  env: { KAFKA_TOPIC_PARTITIONS: String(PARTITIONS), STRIPE_MAX_RPS: '500', WORKER_CONCURRENCY: '16' },
});

const command = (customerId: string, version: number) =>
  requestedCommand(customerId, { version, name: `v${version}`, correlationId: 'concurrent' });

describe('several commands in flight per partition, in order per customer', () => {
  it('with Stripe answering after 300 ms, works on many customers at once while one customer’s create and updates reach Stripe one after another, in order', async () => {
    // Arrange: 24 customers' creates, and one customer's create and three updates spread among them.
    await emulatorControl(bed.emulator, 'faults', { latencyMs: 300 });
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
    await bed.send(...all);
    await waitFor(() => all.every((c) => bed.outcomes().some((o) => o.requestId === c.id)), {
      what: 'a result for every command',
      timeoutMs: 60_000,
    });

    // Assert: more calls open at once than there are partitions (one at a time per partition before).
    expect(bed.recorder.maxOpen()).toBeGreaterThan(PARTITIONS);
    expect(bed.outcomes().filter((o) => o.outcome !== 'synced')).toEqual([]);
    // The busy customer's writes: in command order, each started after the one before had answered.
    const writes = bed.recorder.calls
      .filter((c) => mine.some((m) => c.idempotencyKey?.startsWith(`customer-sync:${m.id}:`)))
      .sort((a, b) => a.startedAt - b.startedAt);
    expect(writes.map((w) => w.idempotencyKey)).toEqual([
      `customer-sync:${mine[0]!.id}:create`,
      ...mine.slice(1).map((m) => `customer-sync:${m.id}:update`),
    ]);
    for (let i = 1; i < writes.length; i++) expect(writes[i]!.startedAt).toBeGreaterThanOrEqual(writes[i - 1]!.endedAt);
    expect(
      bed
        .outcomes()
        .filter((o) => o.customerId === busy)
        .map((o) => o.version),
    ).toEqual([1, 2, 3, 4]);
    const [inStripe] = (
      await emulatorStripe(bed.emulator).customers.search({ query: `metadata['customer_sync_id']:'${busy}'` })
    ).data;
    expect(inStripe).toMatchObject({ name: 'v4' });
  });
});
