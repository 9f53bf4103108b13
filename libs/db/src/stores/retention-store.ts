import type { Knex } from 'knex';

/** Rows of `table` whose `column` is older than `maxAgeHours` are no longer needed by any rule. */
export interface RetentionRule {
  table: 'outbox' | 'processed_events' | 'idempotency_keys';
  column: string;
  maxAgeHours: number;
}

/** Published outbox rows; an unpublished row has no `published_at` and is never pruned. */
export const outboxRetention = (maxAgeHours: number): RetentionRule => ({
  table: 'outbox',
  column: 'published_at',
  maxAgeHours,
});

/** Event ids db-writer deduplicates against; must outlive Stripe's 3-day retries. */
export const processedEventsRetention = (maxAgeHours: number): RetentionRule => ({
  table: 'processed_events',
  column: 'processed_at',
  maxAgeHours,
});

/** Saved Idempotency-Key answers. */
export const idempotencyKeysRetention = (maxAgeHours: number): RetentionRule => ({
  table: 'idempotency_keys',
  column: 'created_at',
  maxAgeHours,
});

const cutoffOf = (rule: RetentionRule, now: Date) => new Date(now.getTime() - rule.maxAgeHours * 3_600_000);

/**
 * Deletes up to `limit` expired rows in one short statement. Rows a writer holds locked are
 * skipped (SKIP LOCKED), so pruning never waits on, nor blocks, the system's own writes.
 */
export async function pruneBatch(db: Knex, rule: RetentionRule, limit: number, now = new Date()): Promise<number> {
  const result = await db.raw(
    `DELETE FROM ?? WHERE ctid = ANY(ARRAY(SELECT ctid FROM ?? WHERE ?? < ? LIMIT ? FOR UPDATE SKIP LOCKED))`,
    [rule.table, rule.table, rule.column, cutoffOf(rule, now), limit],
  );
  return result.rowCount ?? 0;
}

/** How many rows a prune would delete now. */
export async function countExpired(db: Knex, rule: RetentionRule, now = new Date()): Promise<number> {
  const row = await db(rule.table)
    .where(rule.column, '<', cutoffOf(rule, now))
    .count<{ count: string }[]>('* as count')
    .first();
  return Number(row?.count ?? 0);
}
