import type { Knex } from 'knex';

export interface ProcessedEvent {
  eventId: string;
  source: string;
  outcome: string;
}

/** Of the given event ids, those already processed. */
export async function findProcessed(db: Knex, eventIds: string[]): Promise<Set<string>> {
  if (eventIds.length === 0) return new Set();
  const rows = await db('processed_events').select('event_id').whereIn('event_id', eventIds);
  return new Set(rows.map((r: { event_id: string }) => r.event_id));
}

export async function recordProcessed(trx: Knex.Transaction, events: ProcessedEvent[]): Promise<void> {
  if (events.length === 0) return;
  await trx('processed_events')
    .insert(events.map((e) => ({ event_id: e.eventId, source: e.source, outcome: e.outcome })))
    .onConflict('event_id')
    .ignore();
}
