import { useTestDatabase } from '@customer-sync/testing';
import { idempotencyKeysRetention, outboxRetention, processedEventsRetention, pruneExpired } from '../src';

const database = useTestDatabase();

const HOUR = 3_600_000;
const now = new Date();
const ago = (hours: number) => new Date(now.getTime() - hours * HOUR);

async function seed() {
  const db = database.db;
  const outbox = (eventId: string, createdHoursAgo: number, publishedHoursAgo: number | null) => ({
    event_id: eventId,
    topic: 'customer.requested',
    message_key: 'k',
    message: '{}',
    created_at: ago(createdHoursAgo),
    published_at: publishedHoursAgo === null ? null : ago(publishedHoursAgo),
  });
  await db('outbox').insert([
    outbox('00000000-0000-4000-8000-000000000001', 200, 199),
    outbox('00000000-0000-4000-8000-000000000002', 200, 198),
    outbox('00000000-0000-4000-8000-000000000003', 200, 197),
    outbox('00000000-0000-4000-8000-000000000004', 2, 1),
    // Never published, however old: still owed to Kafka.
    outbox('00000000-0000-4000-8000-000000000005', 500, null),
  ]);
  await db('processed_events').insert([
    { event_id: 'evt_old', source: 'stripe', outcome: 'applied', processed_at: ago(100) },
    // Inside Stripe's 3-day retry window: a redelivery must still find it.
    { event_id: 'evt_in_retry_window', source: 'stripe', outcome: 'applied', processed_at: ago(71) },
    { event_id: 'evt_margin', source: 'stripe', outcome: 'applied', processed_at: ago(95) },
  ]);
  const key = (k: string, hours: number) => ({
    scope: 's',
    key: k,
    request_hash: 'h',
    response_status: 202,
    response_body: '{}',
    created_at: ago(hours),
  });
  await db('idempotency_keys').insert([key('old', 30), key('fresh', 23)]);
}

describe('retention', () => {
  it('removes what no rule needs and keeps the rest, in batches', async () => {
    await seed();
    const batches: number[] = [];
    const totals = await pruneExpired({
      db: database.db,
      rules: [outboxRetention(168), processedEventsRetention(96), idempotencyKeysRetention(24)],
      batchSize: 2,
      now,
      onBatch: (_table, n) => batches.push(n),
    });

    expect(totals).toEqual({ outbox: 3, processed_events: 1, idempotency_keys: 1 });
    expect(batches.every((n) => n <= 2)).toBe(true);
    const outboxLeft = await database.db('outbox').orderBy('id').pluck('event_id');
    expect(outboxLeft).toEqual(['00000000-0000-4000-8000-000000000004', '00000000-0000-4000-8000-000000000005']);
    expect((await database.db('processed_events').pluck('event_id')).sort()).toEqual([
      'evt_in_retry_window',
      'evt_margin',
    ]);
    expect(await database.db('idempotency_keys').pluck('key')).toEqual(['fresh']);
  });

  it('skips rows a writer holds locked instead of waiting for them', async () => {
    const db = database.db;
    await db('processed_events').insert({
      event_id: 'evt_locked',
      source: 'stripe',
      outcome: 'applied',
      processed_at: ago(500),
    });
    const trx = await db.transaction();
    try {
      await trx('processed_events').where({ event_id: 'evt_locked' }).forUpdate();
      const started = Date.now();
      const totals = await pruneExpired({ db, rules: [processedEventsRetention(96)], batchSize: 10, now });
      expect(totals.processed_events).toBe(0);
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      await trx.rollback();
    }
    expect(await db('processed_events').where({ event_id: 'evt_locked' }).first()).toBeDefined();
  });
});
