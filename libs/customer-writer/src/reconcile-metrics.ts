import { Counter, Gauge, type Registry } from 'prom-client';

/** What reconcile runs found and repaired, for Prometheus. */
export interface ReconcileMetrics {
  changes: Counter<'kind'>;
  runs: Counter<'outcome'>;
  lastSuccess: Gauge;
}

/** Reconcile metrics on a registry: drift repaired by kind, runs by outcome, time of the last good run. */
export function reconcileMetrics(registry: Registry): ReconcileMetrics {
  const changes = new Counter({
    name: 'reconcile_drift_repaired_total',
    help: 'Differences between Stripe and the database that reconcile repaired, by kind (inserted: missing row; updated: stale row; deleted: gone from Stripe)',
    labelNames: ['kind'],
    registers: [registry],
  });
  for (const kind of ['inserted', 'updated', 'deleted']) changes.inc({ kind }, 0);
  const runs = new Counter({
    name: 'reconcile_runs_total',
    help: 'Reconcile runs by outcome (in_sync, repaired, failed)',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const lastSuccess = new Gauge({
    name: 'reconcile_last_success_timestamp_seconds',
    help: 'When the last reconcile run finished',
    registers: [registry],
  });
  return { changes, runs, lastSuccess };
}
