import type { Knex } from 'knex';

/** One row of a customer's history as the store returns it; `at` is an ISO timestamp with microseconds. */
export interface HistoryRow {
  at: string;
  kind: 'api-write' | 'sync-result' | 'stripe-event';
  id: string;
  type: string | null;
  outcome: string | null;
  detail: unknown;
}

export interface HistoryCursor {
  at: string;
  id: string;
}

const ISO_US = `'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'`;

/**
 * A customer's history, oldest first, keyset-paginated on (at, id): its API writes (each one outbox
 * command, with the changes it carried) and what db-writer recorded for it (sync results, Stripe
 * events and their outcomes).
 */
export async function listCustomerHistory(
  db: Knex,
  customerId: string,
  options: { limit: number; after?: HistoryCursor },
): Promise<HistoryRow[]> {
  const writes = db('outbox')
    .where({ message_key: customerId })
    .select(
      db.raw('created_at as at_ts'),
      db.raw(`'api-write' as kind`),
      db.raw('event_id::text as id'),
      db.raw(`message->'payload'->>'action' as type`),
      db.raw('null as outcome'),
      db.raw(
        `jsonb_build_object('version', message->'payload'->'version', 'changes', message->'payload'->'changes') as detail`,
      ),
    );
  const handled = db('processed_events')
    .where({ customer_id: customerId })
    .select(
      db.raw('processed_at as at_ts'),
      db.raw(`case when source = 'sync-result' then 'sync-result' else 'stripe-event' end as kind`),
      db.raw('event_id as id'),
      db.raw('event_type as type'),
      db.raw('outcome'),
      db.raw('detail'),
    );
  const query = db
    .select(db.raw(`to_char(at_ts at time zone 'UTC', ${ISO_US}) as at`), 'kind', 'id', 'type', 'outcome', 'detail')
    .from(db.raw('(? union all ?) as h', [writes, handled]))
    .orderBy([{ column: 'at_ts' }, { column: 'id' }])
    .limit(options.limit);
  if (options.after) query.whereRaw('(at_ts, id) > (?::timestamptz, ?)', [options.after.at, options.after.id]);
  return query;
}
