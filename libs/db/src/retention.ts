import { Counter, type Registry } from 'prom-client';
import type { Logger } from '@customer-sync/logger';
import type { Db } from './create-db';
import { pruneBatch, type RetentionRule } from './stores/retention-store';

/** One pruning pass over a set of rules. */
export interface PruneOptions {
  db: Db;
  rules: RetentionRule[];
  /** Rows per statement. */
  batchSize: number;
  /** Pause between batches, leaving room to the writers. */
  pauseMs?: number;
  now?: Date;
  onBatch?: (table: string, deleted: number) => void;
}

/** Prunes each rule's table in small batches until nothing expired is left; returns rows deleted per table. */
export async function pruneExpired(options: PruneOptions): Promise<Record<string, number>> {
  const totals: Record<string, number> = {};
  for (const rule of options.rules) {
    let total = 0;
    for (;;) {
      const deleted = await pruneBatch(options.db, rule, options.batchSize, options.now);
      total += deleted;
      if (deleted > 0) options.onBatch?.(rule.table, deleted);
      if (deleted < options.batchSize) break;
      await new Promise((resolve) => setTimeout(resolve, options.pauseMs ?? 20));
    }
    totals[rule.table] = total;
  }
  return totals;
}

/** Pruning on a timer inside a service, with its metrics. */
export interface RetentionScheduleOptions extends Omit<PruneOptions, 'now' | 'onBatch'> {
  intervalMs: number;
  logger: Logger;
  registry: Registry;
}

/** Prunes on a timer (first run one interval after start); 0 turns it off. One run at a time. */
export function startRetention(options: RetentionScheduleOptions): { stop(): Promise<void> } {
  const pruned = new Counter({
    name: 'retention_pruned_rows_total',
    help: 'Rows deleted by retention, by table',
    labelNames: ['table'],
    registers: [options.registry],
  });
  const failures = new Counter({
    name: 'retention_failures_total',
    help: 'Retention runs that failed',
    registers: [options.registry],
  });
  for (const rule of options.rules) pruned.inc({ table: rule.table }, 0);
  if (options.intervalMs <= 0) return { stop: async () => undefined };
  let running: Promise<void> | undefined;
  const run = async () => {
    try {
      const totals = await pruneExpired({ ...options, onBatch: (table, n) => pruned.inc({ table }, n) });
      options.logger.info('retention pruned expired rows', totals);
    } catch (error) {
      failures.inc();
      options.logger.error('retention run failed', { error });
    }
  };
  const timer = setInterval(() => {
    if (!running) running = run().finally(() => (running = undefined));
  }, options.intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
