// ingress: signed ~1.1 KB customer.created events with unique ids, 50 connections, acknowledged
// only after Kafka's ack; against plain node:http verifying the same signatures without Kafka.
import { sized, type Benchmark, type BenchContext } from '../kit/benchmark';
import { postLoad, type LoadResult } from '../kit/load';
import { startBaseline, startService, type Running } from '../kit/processes';
import { signatureOf, uniqueEventBody, WEBHOOK_SECRET } from '../kit/signed-events';
import { kafkaEnvFor } from '../kit/stack';
import type { Metrics } from '../kit/stats';

interface State {
  ingress: Running;
  plain: Running;
}

let sent = 0;
const RUN = Date.now().toString(36);

/** 50 connections of unique signed events against `url` for the round's duration. */
export async function signedEventLoad(
  ctx: BenchContext,
  url: string,
  seconds = sized(ctx, 10, 2, 5),
): Promise<LoadResult> {
  return postLoad({
    url: `${url}/stripe/webhook`,
    connections: 50,
    duration: seconds,
    next: () => {
      const body = uniqueEventBody(RUN, sent++);
      return { body, headers: { 'stripe-signature': signatureOf(body, Math.floor(Date.now() / 1000)) } };
    },
  });
}

const metricsOf = (r: LoadResult): Metrics => ({
  'events/s': r.rps,
  'p50 ms': r.p50,
  'p99 ms': r.p99,
  failed: r.failed,
});

export const ingress: Benchmark<State> = {
  name: 'ingress',
  description:
    'webhook-ingress: signed ~1.1 KB customer.created events (unique ids), 50 connections, answered after Kafka acks=all',
  baselineDescription: 'plain node:http verifying the same signatures (Stripe SDK), no Kafka',
  headline: 'events/s',
  higherIsBetter: true,
  checks: [
    { label: '≥ 8,000 events/s', metric: 'events/s', op: '>=', value: 8000 },
    { label: 'ratio ≥ 0.5', metric: 'ratio', op: '>=', value: 0.5 },
    { label: 'no failed request', metric: 'failed', op: '<=', value: 0 },
  ],
  async setup(ctx) {
    const { suffix } = await ctx.stack.topics();
    const ingress = await startService(
      'webhook-ingress',
      { ...kafkaEnvFor(ctx.stack, suffix), STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET },
      '/ready',
    );
    const plain = await startBaseline('verify-server', { STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET });
    ctx.status('warming up');
    await signedEventLoad(ctx, ingress.url, 2);
    await signedEventLoad(ctx, plain.url, 2);
    return { ingress, plain };
  },
  system: async (ctx, s) => metricsOf(await signedEventLoad(ctx, s.ingress.url)),
  baseline: async (ctx, s) => metricsOf(await signedEventLoad(ctx, s.plain.url)),
  async teardown(s) {
    await Promise.all([s.ingress.stop(), s.plain.stop()]);
  },
};
