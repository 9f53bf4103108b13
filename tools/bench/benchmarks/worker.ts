// worker: customer.requested pre-filled with create commands, worked off by stripe-sync-worker
// against the emulator: (1) no latency, client rate limit lifted: Stripe calls/s completed with
// results published; (2) Stripe's typical 150 ms per call and the limit at 100/s: it must sustain
// 100 calls/s. Baseline: the same creates made directly with the Stripe SDK (no Kafka), as many at
// once as the worker may (one per partition), and paced at 100/s for the second part.
import { randomUUID } from 'node:crypto';
import { makeEnvelope } from '@customer-sync/contracts';
import type { OutgoingMessage } from '@customer-sync/kafka';
import { emulatorControl } from '@customer-sync/stripe-emulator-core';
import { waitFor } from '@customer-sync/testing';
import { sized, type Benchmark, type BenchContext } from '../kit/benchmark';
import { startService, type Running } from '../kit/processes';
import { emulatorClient, workerEnv } from '../kit/service-env';
import { kafkaEnvFor, messageCount, PARTITIONS, prefill } from '../kit/stack';
import type { Metrics } from '../kit/stats';

interface State {
  emulator: Running;
  unlimited: number;
  paced: number;
}

const STRIPE_LATENCY_MS = 150;
const PACED_RPS = 100;

const fieldsOf = (n: number) => ({
  name: `Worker ${n}`,
  email: `w${n}.${randomUUID().slice(0, 8)}@example.com`,
  phone: null,
  description: null,
  metadata: {},
});

function* commands(count: number): Generator<OutgoingMessage> {
  for (let n = 0; n < count; n++) {
    const customerId = randomUUID();
    const { metadata, ...fields } = fieldsOf(n);
    const payload = {
      action: 'create' as const,
      customerId,
      version: 1,
      stripeCustomerId: null,
      changes: { fields, metadata: { set: metadata, unset: [] } },
    };
    yield {
      key: customerId,
      value: JSON.stringify(makeEnvelope('customer.requested', payload, { correlationId: randomUUID() })),
    };
  }
}

/** Pre-fills `count` commands, starts a worker limited to `maxRps` and times it until every result is published. */
async function workOff(ctx: BenchContext, s: State, count: number, maxRps: number): Promise<number> {
  const { suffix, topics } = await ctx.stack.topics();
  ctx.status(`pre-filling ${count} commands`);
  await prefill(ctx.stack, topics.customerRequested, commands(count));
  ctx.status(`worker at ≤ ${maxRps} calls/s`);
  const worker = await startService('stripe-sync-worker', {
    ...kafkaEnvFor(ctx.stack, suffix),
    ...workerEnv(s.emulator.url, maxRps),
  });
  const started = Date.now();
  try {
    await waitFor(async () => (await messageCount(ctx.stack, topics.customerSyncResults)) >= count, {
      what: 'every sync result published',
      timeoutMs: 900_000,
      intervalMs: 100,
    });
    return Math.round(count / ((Date.now() - started) / 1000));
  } finally {
    await worker.stop();
  }
}

/** The same creates straight through the SDK, `concurrency` at a time, each started no earlier than its pace slot. */
async function directCalls(s: State, count: number, concurrency: number, paceRps?: number): Promise<number> {
  const stripe = emulatorClient(s.emulator.url);
  let next = 0;
  const started = Date.now();
  const caller = async () => {
    for (let n = next++; n < count; n = next++) {
      const slot = paceRps ? started + (n * 1000) / paceRps - Date.now() : 0;
      if (slot > 0) await new Promise((r) => setTimeout(r, slot));
      const { name, email } = fieldsOf(n);
      await stripe.customers.create(
        { name, email, metadata: { internal_id: randomUUID() } },
        { idempotencyKey: randomUUID() },
      );
    }
  };
  await Promise.all(Array.from({ length: concurrency }, caller));
  return Math.round(count / ((Date.now() - started) / 1000));
}

const latency = (s: State, latencyMs: number) => emulatorControl(s.emulator, 'faults', { latencyMs });

export const worker: Benchmark<State> = {
  name: 'worker',
  description:
    'stripe-sync-worker working off pre-filled customer.requested creates: Stripe calls/s completed with results published (emulator without latency, limit lifted), then at 150 ms per call with the limit at 100/s',
  baselineDescription: `the same creates made directly with the Stripe SDK, ${PARTITIONS} at a time (the worker's partitions), no Kafka; paced at 100/s in the 150 ms part`,
  headline: 'calls/s',
  higherIsBetter: true,
  checks: [
    {
      label: 'sustains ≥ 100 calls/s at 150 ms per call, limit 100/s (within 5 %)',
      metric: 'calls/s at 150 ms',
      op: '>=',
      value: 95,
    },
    { label: 'ratio ≥ 0.5 (no latency, limit lifted)', metric: 'ratio', op: '>=', value: 0.5 },
  ],
  async setup(ctx) {
    const emulator = await startService('stripe-emulator', { EMULATOR_ADMIN: 'true' });
    return { emulator, unlimited: sized(ctx, 20_000, 300), paced: sized(ctx, 2_000, 200) };
  },
  async system(ctx, s): Promise<Metrics> {
    await emulatorControl(s.emulator, 'reset');
    const unlimited = await workOff(ctx, s, s.unlimited, 100_000);
    await latency(s, STRIPE_LATENCY_MS);
    const paced = await workOff(ctx, s, s.paced, PACED_RPS);
    await latency(s, 0);
    return { 'calls/s': unlimited, 'calls/s at 150 ms': paced };
  },
  async baseline(ctx, s): Promise<Metrics> {
    await emulatorControl(s.emulator, 'reset');
    ctx.status('direct SDK calls');
    const unlimited = await directCalls(s, s.unlimited, PARTITIONS);
    await latency(s, STRIPE_LATENCY_MS);
    const paced = await directCalls(s, s.paced, 50, PACED_RPS);
    await latency(s, 0);
    return { 'calls/s': unlimited, 'calls/s at 150 ms': paced };
  },
  async teardown(s) {
    await s.emulator.stop();
  },
};
