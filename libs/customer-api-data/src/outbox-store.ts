import type { Knex } from 'knex';

export const OUTBOX_CHANNEL = 'customer_outbox';

export interface OutboxEntry {
  eventId: string;
  topic: string;
  key: string;
  message: unknown;
}

export interface OutboxRow {
  id: number;
  event_id: string;
  topic: string;
  message_key: string;
  message: unknown;
}

/** An entry as an outbox row to insert. */
export const outboxRow = (entry: OutboxEntry) => ({
  event_id: entry.eventId,
  topic: entry.topic,
  message_key: entry.key,
  message: JSON.stringify(entry.message),
});

/** Adds an entry inside the caller's transaction. */
export async function addToOutbox(trx: Knex, entry: OutboxEntry): Promise<void> {
  await trx('outbox').insert(outboxRow(entry));
}

/**
 * Tells relays (in any replica) that entries are waiting. Sent after the commit, not inside the
 * writing transaction: PostgreSQL serialises the commits of transactions that NOTIFY.
 */
export async function notifyOutbox(db: Knex): Promise<void> {
  await db.raw(`NOTIFY ${OUTBOX_CHANNEL}`);
}

/**
 * Takes the oldest unpublished entries under a transaction-wide advisory lock, so only one relay
 * (of however many replicas) publishes at a time and per-key order holds.
 * Returns undefined when another relay holds the lock.
 */
export async function claimOutboxBatch(trx: Knex.Transaction, limit: number): Promise<OutboxRow[] | undefined> {
  const lock = await trx.raw(`select pg_try_advisory_xact_lock(hashtext('customer_outbox_relay')) as locked`);
  if (!lock.rows[0].locked) return undefined;
  return trx<OutboxRow>('outbox')
    .select('id', 'event_id', 'topic', 'message_key', 'message')
    .whereNull('published_at')
    .orderBy('id')
    .limit(limit);
}

/** The newest create command of a customer still in the outbox (published or not), as written. */
export async function findLatestCreateCommand(db: Knex, customerId: string): Promise<unknown> {
  const row = await db('outbox')
    .where({ message_key: customerId })
    .whereRaw(`message->'payload'->>'action' = 'create'`)
    .orderBy('id', 'desc')
    .first('message');
  return row?.message;
}

export async function markOutboxPublished(trx: Knex.Transaction, ids: number[]): Promise<void> {
  await trx('outbox').whereIn('id', ids).update({ published_at: trx.fn.now() });
}

export async function countUnpublished(db: Knex): Promise<number> {
  const row = await db('outbox').whereNull('published_at').count<{ count: string }[]>('* as count').first();
  return Number(row?.count ?? 0);
}

/** Seconds since the oldest unpublished entry was written; null when none waits. */
export async function oldestUnpublishedAgeSeconds(db: Knex): Promise<number | null> {
  const row = await db('outbox')
    .whereNull('published_at')
    .select(db.raw('extract(epoch from now() - min(created_at))::float8 as age'))
    .first();
  return row?.age === null || row?.age === undefined ? null : Math.max(0, Number(row.age));
}
