import type { Knex } from 'knex';

/** An input db-writer has handled: a Stripe event (source `stripe`) or a sync result (`sync-result`). */
export interface ProcessedEvent {
  eventId: string;
  source: 'stripe' | 'sync-result';
  /** Stripe events: applied, applied-from-stripe, stale, superseded, conflict, duplicate, ignore-deleted, ignored, ignored-livemode, ignored-account, failed-to-apply; results: their outcome. */
  outcome: string;
  /** The row it concerned, when there is one (history). */
  customerId?: string;
  /** Stripe event type, or the action a sync result answers. */
  eventType?: string;
  /** Anything worth showing in the history: conflicting fields, the result's version and error… */
  detail?: Record<string, unknown>;
}

/** Of the given event ids, those already processed (the ids as one array parameter, whatever their number). */
export async function findProcessed(db: Knex, eventIds: string[]): Promise<Set<string>> {
  if (eventIds.length === 0) return new Set();
  const { rows } = await db.raw<{ rows: { event_id: string }[] }>(
    'select event_id from processed_events where event_id = any(?::text[])',
    [eventIds],
  );
  return new Set(rows.map((r) => r.event_id));
}

/** Records handled inputs in one statement (the records as one JSON parameter); an id already recorded is left as it is. */
export async function recordProcessed(trx: Knex, events: ProcessedEvent[]): Promise<void> {
  if (events.length === 0) return;
  const records = events.map((e) => ({
    event_id: e.eventId,
    source: e.source,
    outcome: e.outcome,
    customer_id: e.customerId ?? null,
    event_type: e.eventType ?? null,
    detail: e.detail ?? null,
  }));
  await trx.raw(
    `insert into processed_events (event_id, source, outcome, customer_id, event_type, detail)
     select event_id, source, outcome, customer_id, event_type, detail from jsonb_populate_recordset(null::processed_events, ?::jsonb)
     on conflict (event_id) do nothing`,
    [JSON.stringify(records)],
  );
}
