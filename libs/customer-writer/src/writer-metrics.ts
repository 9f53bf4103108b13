import { Counter, type Registry } from 'prom-client';

/** The counters of db-writer's sync rules (Prometheus). */
export interface WriterMetrics {
  /** A Stripe write overlapped a pending API write of the same field or metadata key. */
  conflicts: Counter;
  /** A Stripe customer claimed a row already linked to another one and became its own row. */
  duplicates: Counter;
  /** Events of another mode (livemode) or account, acknowledged and ignored; label `reason`. */
  foreignEvents: Counter;
  /** Events that could not be stored; the customer is marked and repaired by refetch or reconcile. */
  inboundFailures: Counter;
}

/** Registers db-writer's sync-rule counters in `registry` (once per process). */
export function createWriterMetrics(registry: Registry): WriterMetrics {
  return {
    conflicts: new Counter({
      name: 'sync_conflicts_total',
      help: 'Stripe writes that overlapped a pending API write of the same field',
      registers: [registry],
    }),
    duplicates: new Counter({
      name: 'sync_duplicate_links_total',
      help: 'Stripe customers claiming a row already linked to another',
      registers: [registry],
    }),
    foreignEvents: new Counter({
      name: 'stripe_events_foreign_total',
      help: 'Events of another mode or account, ignored',
      labelNames: ['reason'],
      registers: [registry],
    }),
    inboundFailures: new Counter({
      name: 'stripe_events_unstorable_total',
      help: 'Stripe events that could not be stored (customer marked for repair)',
      registers: [registry],
    }),
  };
}
