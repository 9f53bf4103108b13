import type { Knex } from 'knex';

export interface ReconcileRun {
  id: number;
  startedAt: Date;
  cursor: string | null;
  stats: Record<string, number>;
}

/** The unfinished run to resume, or a new one. */
export async function startOrResumeRun(db: Knex): Promise<{ run: ReconcileRun; resumed: boolean }> {
  const open = await db('reconcile_runs').whereNull('finished_at').orderBy('id', 'desc').first();
  const row = open ?? (await db('reconcile_runs').insert({}).returning('*'))[0];
  return { run: { id: row.id, startedAt: row.started_at, cursor: row.cursor, stats: row.stats }, resumed: !!open };
}

/** Saves where a run is, together with the customers it has just seen, so it can resume there. */
export async function saveRunProgress(
  db: Knex,
  runId: number,
  cursor: string,
  seen: string[],
  stats: Record<string, number>,
): Promise<void> {
  await db.transaction(async (trx) => {
    if (seen.length) {
      await trx('reconcile_seen')
        .insert(seen.map((id) => ({ run_id: runId, stripe_customer_id: id })))
        .onConflict(['run_id', 'stripe_customer_id'])
        .ignore();
    }
    await trx('reconcile_runs')
      .where({ id: runId })
      .update({ cursor, stats: JSON.stringify(stats) });
  });
}

/** Live rows linked to a Stripe customer the run never saw, and that existed before it started. */
export async function findUnseenLinkedRows(
  db: Knex,
  runId: number,
  startedAt: Date,
): Promise<{ id: string; stripe_customer_id: string }[]> {
  return db('customers as c')
    .select('c.id', 'c.stripe_customer_id')
    .whereNotNull('c.stripe_customer_id')
    .whereNull('c.deleted_at')
    .where('c.created_at', '<', startedAt)
    .whereRaw('coalesce(c.stripe_event_created, 0) < ?', [Math.floor(startedAt.getTime() / 1000)])
    .whereNotExists(
      db('reconcile_seen as s').where('s.run_id', runId).whereRaw('s.stripe_customer_id = c.stripe_customer_id'),
    );
}

export async function finishRun(db: Knex, runId: number, stats: Record<string, number>): Promise<void> {
  await db('reconcile_runs')
    .where({ id: runId })
    .update({ finished_at: db.fn.now(), stats: JSON.stringify(stats) });
  await db('reconcile_seen').where({ run_id: runId }).delete();
}

/** Live rows linked to a Stripe customer that existed before `startedAt` (a dry run's orphan candidates). */
export async function findLinkedLiveRows(
  db: Knex,
  startedAt: Date,
): Promise<{ id: string; stripe_customer_id: string }[]> {
  return db('customers')
    .select('id', 'stripe_customer_id')
    .whereNotNull('stripe_customer_id')
    .whereNull('deleted_at')
    .where('created_at', '<', startedAt)
    .whereRaw('coalesce(stripe_event_created, 0) < ?', [Math.floor(startedAt.getTime() / 1000)]);
}
