// drain: stripe.events pre-filled with customer events (10 per customer: creates, updates, ties,
// duplicates, deletes), applied by db-writer until its last offset is committed; against the same
// final rows written as one multi-row INSERT … ON CONFLICT stream over one connection.
import { writeRowStream } from '../baselines/row-stream';
import { sized, type Benchmark } from '../kit/benchmark';
import { customerEvents, finalRows } from '../kit/customer-events';
import { drainThroughDbWriter } from '../kit/db-writer-drain';
import { startService, type Running } from '../kit/processes';

interface State {
  emulator: Running;
  count: number;
}

export const drain: Benchmark<State> = {
  name: 'drain',
  description:
    'db-writer applying pre-filled stripe.events (100,000 events over 10,000 customers) until the last offset is committed',
  baselineDescription:
    'the same final rows (customers and processed event ids) as a multi-row INSERT … ON CONFLICT stream over one connection',
  headline: 'events/s',
  higherIsBetter: true,
  checks: [
    { label: '≥ 10,000 events/s', metric: 'events/s', op: '>=', value: 10_000 },
    { label: 'ratio ≥ 0.5', metric: 'ratio', op: '>=', value: 0.5 },
  ],
  async setup(ctx) {
    // db-writer asks Stripe (the emulator) when two events of a customer share a second.
    const emulator = await startService('stripe-emulator', {});
    return { emulator, count: sized(ctx, 100_000, 2_000) };
  },
  async system(ctx, s) {
    const result = await drainThroughDbWriter(ctx.stack, s.emulator.url, s.count, ctx.status);
    return {
      'events/s': Math.round(result.events / result.seconds),
      seconds: result.seconds,
      'peak RSS MiB': result.peakRssMiB,
    };
  },
  async baseline(ctx, s, round) {
    const { rows, eventIds } = finalRows(customerEvents(`b${round}`, s.count));
    const database = await ctx.stack.database();
    ctx.status('row stream writing');
    const started = Date.now();
    await writeRowStream(database.url, rows, eventIds);
    const seconds = (Date.now() - started) / 1000;
    return { 'events/s': Math.round(s.count / seconds), seconds };
  },
  async teardown(s) {
    await s.emulator.stop();
  },
};
