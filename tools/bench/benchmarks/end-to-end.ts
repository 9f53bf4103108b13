// end-to-end: API creates until `synced`, through the outbox relay, Kafka, the worker, the Stripe
// emulator, its webhook, the ingress and db-writer. Customers/s with limits lifted, and the
// create→synced latency at a steady 100 creates/s. Baseline: the same path done synchronously in
// one process without Kafka (insert the row, create in Stripe, mark it synced).
import { randomUUID } from 'node:crypto';
import { createDb, type Db } from '@customer-sync/db';
import { TEST_API_KEY, waitFor } from '@customer-sync/testing';
import { sized, type Benchmark, type BenchContext } from '../kit/benchmark';
import { writerEnv } from '../kit/db-writer-drain';
import { postLoad } from '../kit/load';
import { startService, type Running } from '../kit/processes';
import { WEBHOOK_SECRET } from '../kit/signed-events';
import { apiEnv, emulatorClient, workerEnv } from '../kit/service-env';
import { kafkaEnvFor } from '../kit/stack';
import { median, p99, type Metrics } from '../kit/stats';

interface State {
  services: Running[];
  api: Running;
  db: Db;
  /** The baseline's own emulator (no webhooks) and database. */
  directEmulator: Running;
  directDb: Db;
  creates: number;
  steadySeconds: number;
}

const STEADY_RPS = 100;
let tags = 0;

/** Watches rows whose email starts with `tag` and records when each is first seen synced (25 ms polls). */
function syncWatcher(db: Db, tag: string) {
  const latencies = new Map<string, number>();
  let stopped = false;
  const poll = async () => {
    while (!stopped) {
      const rows = await db('customers')
        .select('id', 'created_at')
        .where('email', 'like', `${tag}%`)
        .andWhere('sync_status', 'synced');
      const now = Date.now();
      for (const row of rows as { id: string; created_at: Date }[])
        if (!latencies.has(row.id)) latencies.set(row.id, now - row.created_at.getTime());
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  const running = poll();
  return {
    synced: () => latencies.size,
    async stop(): Promise<number[]> {
      stopped = true;
      await running;
      return [...latencies.values()].sort((a, b) => a - b);
    },
  };
}

/** Creates through the API (`count` as fast as answered, or at `rate`/s) and waits until all are synced. */
async function throughApi(
  ctx: BenchContext,
  s: State,
  count: number,
  rate?: number,
): Promise<{ seconds: number; latencies: number[] }> {
  const tag = `e2e${(tags++).toString(36)}x${Date.now().toString(36)}n`;
  let n = 0;
  const watcher = syncWatcher(s.db, tag);
  const started = Date.now();
  const load = await postLoad({
    url: `${s.api.url}/customers`,
    connections: 20,
    amount: count,
    overallRate: rate,
    headers: { authorization: `Bearer ${TEST_API_KEY}` },
    next: () => ({ body: JSON.stringify({ name: 'E2E', email: `${tag}${n++}@example.com` }) }),
  });
  ctx.status('waiting until synced');
  await waitFor(() => watcher.synced() >= load.ok, {
    what: 'every customer synced',
    timeoutMs: 600_000,
    intervalMs: 50,
  }).catch(async (error) => {
    await watcher.stop();
    throw error;
  });
  return { seconds: (Date.now() - started) / 1000, latencies: await watcher.stop() };
}

/** The synchronous path: `concurrency` callers, each create paced to `rate`/s when given; per-create latency. */
async function direct(
  s: State,
  count: number,
  concurrency: number,
  rate?: number,
): Promise<{ seconds: number; latencies: number[] }> {
  const stripe = emulatorClient(s.directEmulator.url);
  const latencies: number[] = [];
  const tag = `direct${(tags++).toString(36)}n`;
  let next = 0;
  const started = Date.now();
  const caller = async () => {
    for (let n = next++; n < count; n = next++) {
      const wait = rate ? started + (n * 1000) / rate - Date.now() : 0;
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const t = Date.now();
      const id = randomUUID();
      const email = `${tag}${n}@example.com`;
      await s.directDb('customers').insert({ id, name: 'E2E', email, origin: 'api', sync_status: 'pending' });
      const customer = await stripe.customers.create(
        { name: 'E2E', email, metadata: { internal_id: id } },
        { idempotencyKey: id },
      );
      await s
        .directDb('customers')
        .where({ id })
        .update({ stripe_customer_id: customer.id, sync_status: 'synced', updated_at: new Date() });
      latencies.push(Date.now() - t);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, caller));
  return { seconds: (Date.now() - started) / 1000, latencies: latencies.sort((a, b) => a - b) };
}

const metricsOf = (burst: { seconds: number }, count: number, steady: { latencies: number[] }): Metrics => ({
  'customers/s': Math.round(count / burst.seconds),
  'p50 ms at 100/s': Math.round(median(steady.latencies)),
  'p99 ms at 100/s': Math.round(p99(steady.latencies)),
});

export const endToEnd: Benchmark<State> = {
  name: 'end-to-end',
  description:
    'API create → outbox → Kafka → worker → Stripe emulator → webhook → ingress → db-writer → synced: customers/s with limits lifted, create→synced latency at a steady 100/s',
  baselineDescription:
    'the same work done synchronously in one process without Kafka: insert the row, create the customer in Stripe (emulator), mark it synced; 20 callers',
  headline: 'customers/s',
  higherIsBetter: true,
  checks: [
    { label: '≥ 500 customers/s (limits lifted)', metric: 'customers/s', op: '>=', value: 500 },
    { label: 'p99 create→synced ≤ 300 ms at 100/s', metric: 'p99 ms at 100/s', op: '<=', value: 300 },
  ],
  async setup(ctx) {
    const [{ suffix }, database, directDatabase] = await Promise.all([
      ctx.stack.topics(),
      ctx.stack.database(),
      ctx.stack.database(),
    ]);
    const kafka = kafkaEnvFor(ctx.stack, suffix);
    ctx.status('starting five services');
    const ingress = await startService(
      'webhook-ingress',
      { ...kafka, STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET },
      '/ready',
    );
    const emulator = await startService('stripe-emulator', {
      STRIPE_WEBHOOK_URL: `${ingress.url}/stripe/webhook`,
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    });
    const writer = await startService('db-writer', { ...kafka, ...writerEnv(database.url, emulator.url) });
    const worker = await startService('stripe-sync-worker', { ...kafka, ...workerEnv(emulator.url, 100_000) });
    const api = await startService('api-service', { ...kafka, ...apiEnv(database.url) });
    const directEmulator = await startService('stripe-emulator', {});
    return {
      services: [api, worker, writer, emulator, ingress],
      api,
      db: createDb({ url: database.url }),
      directEmulator,
      directDb: createDb({ url: directDatabase.url, poolMax: 20 }),
      creates: sized(ctx, 2_000, 50),
      steadySeconds: sized(ctx, 10, 2),
    };
  },
  async system(ctx, s) {
    const burst = await throughApi(ctx, s, s.creates);
    const steady = await throughApi(ctx, s, STEADY_RPS * s.steadySeconds, STEADY_RPS);
    return metricsOf(burst, s.creates, steady);
  },
  async baseline(ctx, s) {
    ctx.status('synchronous path');
    const burst = await direct(s, s.creates, 20);
    const steady = await direct(s, STEADY_RPS * s.steadySeconds, 20, STEADY_RPS);
    return metricsOf(burst, s.creates, steady);
  },
  async teardown(s) {
    for (const service of s.services) await service.stop();
    await s.directEmulator.stop();
    await Promise.all([s.db.destroy(), s.directDb.destroy()]);
  },
};
