import { Histogram, type Registry } from 'prom-client';

/** End-to-end latencies db-writer sees: an API write until Stripe's answer is stored; a Stripe change until it is applied. */
export interface LatencyMetrics {
  syncLatency: Histogram<'action' | 'outcome'>;
  stripeEventLatency: Histogram<'type'>;
}

const byRegistry = new WeakMap<Registry, LatencyMetrics>();
const BUCKETS = [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600];

/** One set per registry, shared by both of db-writer's handlers. */
export function latencyMetrics(registry: Registry): LatencyMetrics {
  let metrics = byRegistry.get(registry);
  if (!metrics) {
    metrics = {
      syncLatency: new Histogram({
        name: 'customer_sync_latency_seconds',
        help: "From an API write to its sync result stored (the customer's syncStatus settled), by action and outcome",
        labelNames: ['action', 'outcome'],
        buckets: BUCKETS,
        registers: [registry],
      }),
      stripeEventLatency: new Histogram({
        name: 'stripe_event_apply_latency_seconds',
        help: "From a Stripe event's created time to its change committed in PostgreSQL (1 s resolution), by event type",
        labelNames: ['type'],
        buckets: BUCKETS,
        registers: [registry],
      }),
    };
    byRegistry.set(registry, metrics);
  }
  return metrics;
}
