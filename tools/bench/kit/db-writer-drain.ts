// One db-writer drain: stripe.events pre-filled, then db-writer (the bundle) started on a fresh
// database and timed from ready until its group has committed the last offset.
import { waitFor } from '@customer-sync/testing';
import { asMessages, customerEvents } from './customer-events';
import { startService } from './processes';
import { memoryMiB, rssSampler } from './proc-stats';
import { allCommitted, kafkaEnvFor, prefill, type Stack } from './stack';

export interface DrainResult {
  events: number;
  seconds: number;
  /** db-writer's RSS readings (MiB) every 500 ms while it drained. */
  rss: number[];
  peakRssMiB: number;
}

/** Environment db-writer needs besides Kafka: its database and the Stripe emulator (asked on ties). */
export const writerEnv = (databaseUrl: string, stripeUrl: string) => ({
  DATABASE_URL: databaseUrl,
  STRIPE_SECRET_KEY: 'sk_test_bench000000000000',
  STRIPE_API_URL: stripeUrl,
});

/** Pre-fills `count` events, then drains them through a fresh db-writer. */
export async function drainThroughDbWriter(
  stack: Stack,
  stripeUrl: string,
  count: number,
  status: (s: string) => void,
): Promise<DrainResult> {
  const { suffix, topics } = await stack.topics();
  status(`pre-filling ${count.toLocaleString('en-US')} events`);
  const events = await prefill(stack, topics.stripeEvents, asMessages(customerEvents(suffix, count)));
  const database = await stack.database();
  status('db-writer draining');
  const writer = await startService('db-writer', {
    ...kafkaEnvFor(stack, suffix),
    ...writerEnv(database.url, stripeUrl),
  });
  const started = Date.now();
  const sampler = rssSampler(writer.pid);
  try {
    await waitFor(() => allCommitted(stack, 'db-writer', suffix, topics.stripeEvents), {
      what: 'db-writer committed the last offset',
      timeoutMs: 600_000,
      intervalMs: 100,
    });
    const seconds = (Date.now() - started) / 1000;
    return { events, seconds, rss: sampler.stop(), peakRssMiB: memoryMiB(writer.pid, 'VmHWM') };
  } finally {
    sampler.stop();
    await writer.stop();
  }
}
