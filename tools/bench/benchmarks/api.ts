// api: POST /customers (row + outbox entry in one statement, 202) on 20 connections, and how long
// the relay then takes to publish the outbox; against the same INSERTs through pg without HTTP.
import { randomUUID } from 'node:crypto';
import { makeEnvelope, pendingKeysOf, type CustomerChanges, type CustomerFields } from '@customer-sync/contracts';
import { insertApiCustomerWithOutbox } from '@customer-sync/customer-api-data';
import { createDb, type Db } from '@customer-sync/db';
import { TEST_API_KEY, waitFor } from '@customer-sync/testing';
import { sized, type Benchmark, type BenchContext } from '../kit/benchmark';
import { postLoad } from '../kit/load';
import { startService, type Running } from '../kit/processes';
import { apiEnv } from '../kit/service-env';
import { kafkaEnvFor } from '../kit/stack';
import { median, p99, type Metrics } from '../kit/stats';

interface State {
  api: Running;
  db: Db;
  baselineDb: Db;
  topic: string;
}

const CONNECTIONS = 20;
let n = 0;
const body = () => ({ name: 'Bench Customer', email: `api${n++}.${process.pid}@example.com` });
const seconds = (ctx: BenchContext) => sized(ctx, 10, 2, 5);

/** The outbox rows not yet published. */
const unpublished = async (db: Db) =>
  Number((await db('outbox').whereNull('published_at').count<{ n: string }[]>('* as n'))[0]!.n);

/** The create the API makes, without HTTP: same fields, same command, same single statement. */
async function insertDirect(db: Db, topic: string): Promise<void> {
  const id = randomUUID();
  const profile = { ...body(), phone: null, description: null };
  const changes: CustomerChanges = { fields: profile, metadata: { set: {}, unset: [] } };
  const payload = { action: 'create' as const, customerId: id, version: 1, stripeCustomerId: null, changes };
  const envelope = makeEnvelope('customer.requested', payload, { correlationId: randomUUID() });
  await insertApiCustomerWithOutbox(db, id, { ...profile, metadata: {} } as CustomerFields, pendingKeysOf(changes), {
    eventId: envelope.id,
    topic,
    key: id,
    message: envelope,
  });
}

/** CONNECTIONS callers inserting back to back for `duration` s; creates/s and latency percentiles. */
async function directLoad(db: Db, topic: string, duration: number): Promise<Metrics> {
  const latencies: number[] = [];
  const until = Date.now() + duration * 1000;
  const caller = async () => {
    while (Date.now() < until) {
      const t = performance.now();
      await insertDirect(db, topic);
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, caller));
  latencies.sort((a, b) => a - b);
  return {
    'creates/s': Math.round(latencies.length / duration),
    'p50 ms': Math.round(median(latencies)),
    'p99 ms': Math.round(p99(latencies)),
  };
}

export const api: Benchmark<State> = {
  name: 'api',
  description:
    'api-service: POST /customers (row + outbox, 202) on 20 connections; then the outbox published by the relay',
  baselineDescription:
    'the same single-statement INSERTs (row + outbox) from 20 callers through pg (knex, pool of 10), no HTTP',
  headline: 'creates/s',
  higherIsBetter: true,
  checks: [
    { label: '≥ 3,000 creates/s', metric: 'creates/s', op: '>=', value: 3000 },
    { label: 'ratio ≥ 0.5', metric: 'ratio', op: '>=', value: 0.5 },
    { label: 'no failed request', metric: 'failed', op: '<=', value: 0 },
  ],
  async setup(ctx) {
    const [{ suffix, topics }, database, baselineDatabase] = await Promise.all([
      ctx.stack.topics(),
      ctx.stack.database(),
      ctx.stack.database(),
    ]);
    const api = await startService('api-service', { ...kafkaEnvFor(ctx.stack, suffix), ...apiEnv(database.url) });
    const state = {
      api,
      db: createDb({ url: database.url }),
      baselineDb: createDb({ url: baselineDatabase.url, poolMax: 10 }),
      topic: topics.customerRequested,
    };
    if (!ctx.quick) {
      ctx.status('warming up');
      await postLoad({
        url: `${api.url}/customers`,
        connections: CONNECTIONS,
        duration: 2,
        headers: { authorization: `Bearer ${TEST_API_KEY}` },
        next: () => ({ body: JSON.stringify(body()) }),
      });
      await directLoad(state.baselineDb, state.topic, 2);
    }
    return state;
  },
  async system(ctx, s) {
    const load = await postLoad({
      url: `${s.api.url}/customers`,
      connections: CONNECTIONS,
      duration: seconds(ctx),
      headers: { authorization: `Bearer ${TEST_API_KEY}` },
      next: () => ({ body: JSON.stringify(body()) }),
    });
    const ended = Date.now();
    ctx.status('waiting for the outbox');
    await waitFor(async () => (await unpublished(s.db)) === 0, {
      what: 'outbox published',
      timeoutMs: 300_000,
      intervalMs: 50,
    });
    if (load.failed > 0) console.error(`\napi: answers ${JSON.stringify(load.statuses)}`);
    return {
      'creates/s': load.rps,
      'p50 ms': load.p50,
      'p99 ms': load.p99,
      failed: load.failed,
      'outbox published s after load': (Date.now() - ended) / 1000,
    };
  },
  baseline: (ctx, s) => directLoad(s.baselineDb, s.topic, seconds(ctx)),
  async teardown(s) {
    await s.api.stop();
    await Promise.all([s.db.destroy(), s.baselineDb.destroy()]);
  },
};
