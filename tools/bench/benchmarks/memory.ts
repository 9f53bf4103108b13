// memory: db-writer's resident memory through a 100,000-event drain (does it level off?), its peak
// against the single-process peer's under the webhook-to-row load, and the peak RSS of every
// service during the benchmarks run before this one in the same invocation.
import { sized, type Benchmark } from '../kit/benchmark';
import { drainThroughDbWriter } from '../kit/db-writer-drain';
import { pgBackends } from '../kit/pg-backends';
import { memoryMiB } from '../kit/proc-stats';
import { peakRssByProcess, startBaseline, startService, type Running } from '../kit/processes';
import { WEBHOOK_SECRET } from '../kit/signed-events';
import { secondHalfGrowth, type Metrics } from '../kit/stats';
import { postUntilRows } from './webhook-to-row';

interface State {
  /** Peaks of the services in the benchmarks before this one, taken before its own rounds. */
  earlier: Metrics;
  emulator: Running;
  backends: Awaited<ReturnType<typeof pgBackends>>;
  drained: number;
  events: number;
}

/** Peaks recorded by the benchmarks before this one (by service), as metrics. */
const peaksSoFar = (): Metrics =>
  Object.fromEntries([...peakRssByProcess].map(([name, mib]) => [`peak RSS MiB, ${name} (earlier benchmarks)`, mib]));

export const memory: Benchmark<State> = {
  name: 'memory',
  description:
    "db-writer's RSS through a drain of 100,000 events (peak, growth over the second half), and each service's peak RSS in the benchmarks before this one",
  baselineDescription:
    'peak RSS of the single-process webhook-to-PostgreSQL peer taking the webhook-to-row load (20,000 events)',
  headline: 'peak RSS MiB',
  higherIsBetter: false,
  checks: [
    {
      label: "db-writer's RSS levels off: ≤ 10 % growth over the second half of the drain",
      metric: 'RSS growth % (second half)',
      op: '<=',
      value: 10,
    },
  ],
  async setup(ctx) {
    const earlier = peaksSoFar();
    const emulator = await startService('stripe-emulator', {});
    return {
      earlier,
      emulator,
      backends: await pgBackends(),
      drained: sized(ctx, 100_000, 2_000),
      events: sized(ctx, 20_000, 500),
    };
  },
  async system(ctx, s) {
    const result = await drainThroughDbWriter(ctx.stack, s.emulator.url, s.drained, ctx.status);
    return {
      'peak RSS MiB': result.peakRssMiB,
      'RSS MiB at the end': result.rss.at(-1) ?? NaN,
      'RSS growth % (second half)': secondHalfGrowth(result.rss),
      ...s.earlier,
    };
  },
  async baseline(ctx, s) {
    const database = await ctx.stack.database();
    const peer = await startBaseline('webhook-sync-server', {
      DATABASE_URL: database.url,
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    });
    try {
      await postUntilRows(ctx, s, peer.url, database, { 'peer process': peer.pid });
      return { 'peak RSS MiB': memoryMiB(peer.pid, 'VmHWM') };
    } finally {
      await peer.stop();
    }
  },
  async teardown(s) {
    await s.emulator.stop();
    await s.backends.close();
  },
};
