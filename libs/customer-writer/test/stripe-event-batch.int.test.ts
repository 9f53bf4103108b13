import type { Knex } from 'knex';
import { Registry } from 'prom-client';
import type { StripeEvent } from '@customer-sync/contracts';
import type { Stripe } from '@customer-sync/stripe-client';
import { createTestDatabase, customerEvent, testLogger, type TestDatabase } from '@customer-sync/testing';
import { applyStripeEvents, createWriterMetrics, type ApplierDeps } from '../src';

let perEvent: TestDatabase;
let batched: TestDatabase;

beforeAll(async () => {
  [perEvent, batched] = await Promise.all([createTestDatabase(), createTestDatabase()]);
});
afterAll(async () => {
  await Promise.all([perEvent.drop(), batched.drop()]);
});

/** Stripe's current object for a tie: the same answer for both databases. */
const stripe = {
  customers: {
    retrieve: async (id: string) => ({
      id,
      object: 'customer',
      name: `truth ${id}`,
      email: `${id}@example.com`,
      metadata: { from: 'stripe' },
    }),
  },
} as unknown as Stripe;

const depsOf = (db: Knex): ApplierDeps => ({
  db,
  stripe,
  logger: testLogger('applier'),
  metrics: createWriterMetrics(new Registry()),
  livemode: false,
});

const INFLIGHT = crypto.randomUUID();
const PENDING = crypto.randomUUID();
const seed = [
  { id: INFLIGHT, name: 'In flight', origin: 'api', sync_status: 'pending' },
  {
    id: PENDING,
    name: 'Ours',
    origin: 'api',
    stripe_customer_id: 'cus_bpending',
    sync_status: 'pending',
    pending_fields: JSON.stringify({ name: 2 }),
    version: 2,
  },
];

/**
 * Events of 60 customers, in Stripe's order with the faults a backlog holds: updates, a same-second
 * tie for 1 in 20, a deletion for 1 in 10, a stale update delivered late for 1 in 7, a duplicate
 * delivery for 1 in 9; two claimants of one in-flight create; a conflict with a pending API write.
 */
function backlog(): StripeEvent[] {
  const events: ReturnType<typeof customerEvent>[] = [];
  const late: typeof events = [];
  for (let i = 0; i < 60; i++) {
    const id = `cus_b${String(i).padStart(3, '0')}`;
    const t = 10_000 + i * 10;
    const created = customerEvent('customer.created', { id, name: 'v0', metadata: { n: String(i) } }, t);
    const v1 = customerEvent('customer.updated', { id, name: 'v1', metadata: { n: String(i) } }, t + 1, {
      previous_attributes: { name: 'v0' },
    });
    events.push(
      created,
      v1,
      customerEvent('customer.updated', { id, name: 'v2', email: null }, t + 2, {
        previous_attributes: { name: 'v1' },
      }),
    );
    if (i % 20 === 0)
      events.push(
        customerEvent('customer.updated', { id, name: 'v2 too' }, t + 2, { previous_attributes: { name: 'v1' } }),
      );
    if (i % 10 === 5) events.push(customerEvent('customer.deleted', { id, name: 'v3', deleted: true }, t + 3));
    if (i % 7 === 0)
      late.push(
        customerEvent('customer.updated', { id, name: 'late' }, t + 1, { previous_attributes: { name: 'v0' } }),
      );
    if (i % 9 === 0) late.push(created);
  }
  events.push(
    customerEvent(
      'customer.created',
      { id: 'cus_bclaim1', name: 'Claimant', metadata: { customer_sync_id: INFLIGHT } },
      20_000,
    ),
    customerEvent(
      'customer.created',
      { id: 'cus_bclaim2', name: 'Second claimant', metadata: { customer_sync_id: INFLIGHT } },
      20_001,
    ),
    customerEvent('customer.updated', { id: 'cus_bpending', name: 'Theirs', email: 'theirs@example.com' }, 20_002, {
      previous_attributes: { name: 'Old' },
    }),
    customerEvent('invoice.paid', { id: 'in_1', object: 'invoice' }, 20_003),
  );
  return [...events, ...late] as unknown as StripeEvent[];
}

/**
 * Rows by Stripe id; a stripe-origin row's id is random, so it is left out; times as present or not.
 * A same-second tie stores Stripe's current object either way, stamped with whichever tied event
 * the path met last (one at a time) or chose (batch): the stamp's id is left out for ties only.
 */
async function rowsOf(db: Knex): Promise<Record<string, unknown>> {
  const rows = await db('customers').orderBy('stripe_customer_id');
  return Object.fromEntries(
    rows.map(({ id, created_at: _c, updated_at: _u, deleted_at, stripe_deleted_at, stripe_event_id, ...row }) => [
      row.stripe_customer_id,
      {
        ...row,
        id: row.origin === 'api' ? id : 'random',
        stripe_event_id: String(row.name).startsWith('truth') ? 'tie' : stripe_event_id,
        deleted: !!deleted_at,
        stripeDeleted: !!stripe_deleted_at,
      },
    ]),
  );
}

describe('a batch of Stripe events applied with one set-based write', () => {
  it('stores exactly the rows that applying the events one at a time stores, in a fixed number of round trips', async () => {
    await Promise.all([perEvent, batched].map((d) => d.db('customers').insert(seed)));
    const events = backlog();

    for (const event of events) await applyStripeEvents(depsOf(perEvent.db), [event]);
    const queries: string[] = [];
    const count = (q: { sql: string }) => queries.push(q.sql);
    batched.db.on('query', count);
    try {
      await applyStripeEvents(depsOf(batched.db), events);
    } finally {
      batched.db.off('query', count);
    }

    const [rows, reference] = await Promise.all([rowsOf(batched.db), rowsOf(perEvent.db)]);
    expect(rows).toEqual(reference);
    // BEGIN, processed ids, row locks, the one write, processed records, COMMIT.
    expect(queries).toHaveLength(6);
    expect(rows['cus_b001']).toMatchObject({ name: 'v2', email: null, deleted: false });
    expect(rows['cus_b020']).toMatchObject({ name: 'truth cus_b020', metadata: { from: 'stripe' } });
    expect(rows['cus_b005']).toMatchObject({ name: 'v3', deleted: true, stripeDeleted: true });
    expect(rows['cus_bclaim1']).toMatchObject({ id: INFLIGHT, name: 'Claimant' });
    expect(rows['cus_bclaim2']).toMatchObject({ duplicate_of: INFLIGHT, origin: 'stripe' });
    expect(rows['cus_bpending']).toMatchObject({ name: 'Ours', email: 'theirs@example.com', refetch_on_settle: true });
    const ids = (db: Knex) => db('processed_events').orderBy('event_id').pluck('event_id');
    expect(await ids(batched.db)).toEqual(await ids(perEvent.db));
    expect(await batched.db('processed_events').where({ outcome: 'conflict' }).count('* as n').first()).toEqual({
      n: 1,
    });
  });
});
