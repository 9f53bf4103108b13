// webhook-to-row: unique signed customer events posted to the ingress (50 connections) until every
// one is a row: rows durable per second and CPU seconds per 1,000 events over the ingress, the
// broker, db-writer and PostgreSQL's backends. Baseline: a single-process webhook-to-PostgreSQL
// sync (verify, one upsert per request, no broker), its CPU plus its backends'.
import pg from 'pg';
import { waitFor } from '@customer-sync/testing';
import { sized, type Benchmark, type BenchContext } from '../kit/benchmark';
import { writerEnv } from '../kit/db-writer-drain';
import { postLoad, type LoadResult } from '../kit/load';
import { pgBackends } from '../kit/pg-backends';
import { cpuMeter, memoryMiB } from '../kit/proc-stats';
import { startBaseline, startService, type Running } from '../kit/processes';
import { signatureOf, uniqueEventBody, WEBHOOK_SECRET } from '../kit/signed-events';
import { kafkaEnvFor } from '../kit/stack';
import type { Metrics } from '../kit/stats';

interface State {
  backends: Awaited<ReturnType<typeof pgBackends>>;
  events: number;
}

let run = 0;

const rowCount = async (client: pg.Client) =>
  Number((await client.query<{ n: string }>('select count(*) as n from customers')).rows[0]!.n);

/**
 * Posts `events` unique signed events to `url` and times them until all are rows in `database`;
 * CPU is summed over `pids` and the database's backends from the first post to the last row.
 */
export async function postUntilRows(
  ctx: BenchContext,
  s: State,
  url: string,
  database: { name: string; url: string },
  named: Record<string, number>,
): Promise<{ load: LoadResult; metrics: Metrics }> {
  const pids = Object.values(named);
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  const prefix = `r${(run++).toString(36)}${Date.now().toString(36)}`;
  let n = 0;
  const cpu = cpuMeter(async () => [...pids, ...(await s.backends.of(database.name))]);
  try {
    await cpu.start();
    const started = Date.now();
    ctx.status(`posting ${s.events.toLocaleString('en-US')} events`);
    const load = await postLoad({
      url: `${url}/stripe/webhook`,
      connections: 50,
      amount: s.events,
      next: () => {
        const body = uniqueEventBody(prefix, n++);
        return { body, headers: { 'stripe-signature': signatureOf(body, Math.floor(Date.now() / 1000)) } };
      },
    });
    if (load.failed > 0) console.error(`\nwebhook-to-row: answers ${JSON.stringify(load.statuses)}`);
    ctx.status('waiting for the last row');
    await waitFor(async () => (await rowCount(client)) >= load.ok, {
      what: 'every event a row',
      timeoutMs: 600_000,
      intervalMs: 50,
    });
    const seconds = (Date.now() - started) / 1000;
    const byPid = await cpu.stop();
    const per1000 = (cpuSeconds: number) => Math.round((cpuSeconds / load.ok) * 1000 * 1000) / 1000;
    const total = [...byPid.values()].reduce((a, b) => a + b, 0);
    const parts = Object.entries(named).map(([name, pid]) => [
      `CPU-s per 1,000, ${name}`,
      per1000(byPid.get(pid) ?? 0),
    ]);
    const namedTotal = Object.values(named).reduce((sum, pid) => sum + (byPid.get(pid) ?? 0), 0);
    return {
      load,
      metrics: {
        'rows/s': Math.round(load.ok / seconds),
        'CPU-s per 1,000 events': per1000(total),
        ...Object.fromEntries(parts),
        'CPU-s per 1,000, PostgreSQL backends': per1000(total - namedTotal),
        'p50 ms': load.p50,
        'p99 ms': load.p99,
        failed: load.failed,
      },
    };
  } finally {
    await cpu.stop();
    await client.end();
  }
}

const peakSum = (processes: Running[]) => processes.reduce((sum, p) => sum + memoryMiB(p.pid, 'VmHWM'), 0);

export const webhookToRow: Benchmark<State> = {
  name: 'webhook-to-row',
  description:
    'unique signed events posted to webhook-ingress (50 connections) until each is a row through Kafka and db-writer: rows/s and CPU-s per 1,000 events (ingress, broker, db-writer, PostgreSQL backends)',
  baselineDescription:
    'single-process webhook-to-PostgreSQL sync: node:http, verify, one upsert per request, no broker (its CPU plus its backends)',
  headline: 'rows/s',
  higherIsBetter: true,
  checks: [
    { label: '≥ 3,500 rows/s', metric: 'rows/s', op: '>=', value: 3500 },
    { label: 'ratio ≥ 2 (twice the single-process peer)', metric: 'ratio', op: '>=', value: 2 },
    { label: '≤ 0.4 CPU-s per 1,000 events', metric: 'CPU-s per 1,000 events', op: '<=', value: 0.4 },
    { label: 'p99 ≤ 60 ms', metric: 'p99 ms', op: '<=', value: 60 },
  ],
  async setup(ctx) {
    return { backends: await pgBackends(), events: sized(ctx, 20_000, 500) };
  },
  async system(ctx, s) {
    const [{ suffix }, database] = await Promise.all([ctx.stack.topics(), ctx.stack.database()]);
    const kafka = kafkaEnvFor(ctx.stack, suffix);
    // No event here shares a second with another of its customer, so db-writer never calls Stripe.
    const writer = await startService('db-writer', { ...kafka, ...writerEnv(database.url, 'http://127.0.0.1:9') });
    const ingress = await startService(
      'webhook-ingress',
      { ...kafka, STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET },
      '/ready',
    );
    try {
      const { metrics } = await postUntilRows(ctx, s, ingress.url, database, {
        ingress: ingress.pid,
        broker: ctx.stack.brokerPid(),
        'db-writer': writer.pid,
      });
      return { ...metrics, 'peak RSS MiB (node processes)': peakSum([ingress, writer]) };
    } finally {
      await Promise.all([ingress.stop(), writer.stop()]);
    }
  },
  async baseline(ctx, s) {
    const database = await ctx.stack.database();
    const peer = await startBaseline('webhook-sync-server', {
      DATABASE_URL: database.url,
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    });
    try {
      const { metrics } = await postUntilRows(ctx, s, peer.url, database, { 'peer process': peer.pid });
      return { ...metrics, 'peak RSS MiB (node processes)': peakSum([peer]) };
    } finally {
      await peer.stop();
    }
  },
  async teardown(s) {
    await s.backends.close();
  },
};
