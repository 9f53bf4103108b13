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

/** Of the given event ids, those already processed. */
export async function findProcessed(db: Knex, eventIds: string[]): Promise<Set<string>> {
  if (eventIds.length === 0) return new Set();
  const rows = await db('processed_events').select('event_id').whereIn('event_id', eventIds);
  return new Set(rows.map((r: { event_id: string }) => r.event_id));
}

export async function recordProcessed(trx: Knex, events: ProcessedEvent[]): Promise<void> {
  if (events.length === 0) return;
  await trx('processed_events')
    .insert(
      events.map((e) => ({
        event_id: e.eventId,
        source: e.source,
        outcome: e.outcome,
        customer_id: e.customerId ?? null,
        event_type: e.eventType ?? null,
        detail: e.detail ? JSON.stringify(e.detail) : null,
      })),
    )
    .onConflict('event_id')
    .ignore();
}
