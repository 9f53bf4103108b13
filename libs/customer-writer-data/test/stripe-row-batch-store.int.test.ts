import type { Knex } from 'knex';
import type { CustomerFields } from '@customer-sync/contracts';
import { createTestDatabase, type TestDatabase } from '@customer-sync/testing';
import {
  applyStripeState,
  insertStripeCustomer,
  linkStripeCustomer,
  markStripeDeleted,
  writeStripeRows,
  type StripeRowWrite,
} from '../src';

let one: TestDatabase;
let perRow: TestDatabase;

beforeAll(async () => {
  [one, perRow] = await Promise.all([createTestDatabase(), createTestDatabase()]);
});
afterAll(async () => {
  await Promise.all([one.drop(), perRow.drop()]);
});

const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString().padStart(12, '0')}`;
const state = (name: string, extra: Partial<CustomerFields> = {}): CustomerFields => ({
  name,
  email: `${name.toLowerCase()}@example.com`,
  phone: null,
  description: null,
  address: { city: name, country: 'FR', line1: null, line2: null, postal_code: null, state: null },
  shipping: null,
  preferred_locales: ['fr'],
  tax_exempt: 'none',
  // A `__proto__` key must stay an ordinary key (JSON.parse makes it an own property).
  metadata: JSON.parse(`{"tier":"${name}","__proto__":"kept"}`),
  ...extra,
});

/** Rows of every kind a batch meets: linked, newer-stamped, in-flight creates, pending writes, claimed emails. */
const seed = [
  {
    id: uuid(1),
    name: 'Linked',
    origin: 'stripe',
    stripe_customer_id: 'cus_linked',
    stripe_event_created: 100,
    stripe_event_id: 'evt_a',
  },
  {
    id: uuid(2),
    name: 'Newer',
    origin: 'stripe',
    stripe_customer_id: 'cus_newer',
    stripe_event_created: 900,
    stripe_event_id: 'evt_b',
  },
  {
    id: uuid(3),
    name: 'InFlight',
    email: 'claim@example.com',
    email_claim: 'claim@example.com',
    origin: 'api',
    sync_status: 'pending',
  },
  {
    id: uuid(4),
    name: 'Pending',
    origin: 'api',
    stripe_customer_id: 'cus_pending',
    sync_status: 'pending',
    pending_fields: JSON.stringify({ name: 2 }),
    version: 2,
  },
  {
    id: uuid(5),
    name: 'ToDelete',
    origin: 'stripe',
    stripe_customer_id: 'cus_delete',
    stripe_event_created: 100,
    refetch_on_settle: true,
  },
  {
    id: uuid(6),
    name: 'Stub',
    origin: 'api',
    stripe_customer_id: 'cus_stub',
    pending_fields: JSON.stringify({ name: 3 }),
    inbound_error: 'old',
  },
  { id: uuid(7), name: 'LinkOnly', origin: 'api' },
  {
    id: uuid(8),
    name: 'Claimed',
    email: 'keep@example.com',
    email_claim: 'keep@example.com',
    origin: 'api',
    stripe_customer_id: 'cus_claimed',
  },
];

const stamp = (created: number) => ({ created, eventId: `evt_${created}` });
const writes: StripeRowWrite[] = [
  {
    kind: 'state',
    rowId: uuid(1),
    stripeCustomerId: 'cus_linked',
    state: state('Updated'),
    stamp: stamp(200),
    conflict: false,
  },
  {
    kind: 'state',
    rowId: uuid(2),
    stripeCustomerId: 'cus_newer',
    state: state('Older'),
    stamp: stamp(300),
    conflict: false,
  },
  {
    kind: 'state',
    rowId: uuid(3),
    stripeCustomerId: 'cus_inflight',
    state: state('Claim', { email: 'CLAIM@example.com' }),
    stamp: stamp(400),
    conflict: false,
  },
  {
    kind: 'state',
    rowId: uuid(4),
    stripeCustomerId: 'cus_pending',
    state: state('Pending'),
    stamp: stamp(500),
    conflict: true,
  },
  { kind: 'delete', rowId: uuid(5), stripeCustomerId: 'cus_delete', stamp: stamp(600), lastState: state('LastState') },
  { kind: 'delete', rowId: uuid(6), stripeCustomerId: 'cus_stub', stamp: stamp(601) },
  { kind: 'link', rowId: uuid(7), stripeCustomerId: 'cus_linkonly' },
  {
    kind: 'state',
    rowId: uuid(8),
    stripeCustomerId: 'cus_claimed',
    state: state('Other', { email: 'other@example.com' }),
    stamp: stamp(700),
    conflict: false,
  },
  {
    kind: 'insert',
    rowId: uuid(20),
    snapshot: { stripeCustomerId: 'cus_new', ...state('New') },
    stamp: stamp(800),
    deleted: false,
  },
  {
    kind: 'insert',
    rowId: uuid(21),
    snapshot: { stripeCustomerId: 'cus_dup', ...state('Dup') },
    stamp: stamp(801),
    deleted: false,
    duplicateOf: uuid(8),
  },
  {
    kind: 'insert',
    rowId: uuid(22),
    snapshot: { stripeCustomerId: 'cus_gone', ...state('Gone') },
    stamp: stamp(802),
    deleted: true,
  },
];

/** What the applier did before, one statement per row (a claim's link first, as applyPlanned did). */
async function writeOneByOne(trx: Knex.Transaction, write: StripeRowWrite): Promise<void> {
  if (write.kind === 'insert') {
    await insertStripeCustomer(trx, write.snapshot, write.stamp, {
      deleted: write.deleted,
      duplicateOf: write.duplicateOf,
    });
    return;
  }
  await linkStripeCustomer(trx, write.rowId, write.stripeCustomerId);
  if (write.kind === 'state')
    await applyStripeState(trx, write.rowId, write.stripeCustomerId, write.state, write.stamp, {
      conflict: write.conflict,
    });
  if (write.kind === 'delete') await markStripeDeleted(trx, write.rowId, write.stamp, write.lastState);
}

/** Rows keyed by Stripe id (new rows get their id from the caller in one path, from the store in the other), times as present or not. */
async function rowsOf(db: Knex): Promise<Record<string, unknown>> {
  const rows = await db('customers').orderBy('stripe_customer_id');
  return Object.fromEntries(
    rows.map(({ id, created_at: _c, updated_at, deleted_at, stripe_deleted_at, ...row }) => [
      row.stripe_customer_id ?? id,
      {
        ...row,
        id: row.origin === 'api' ? id : 'new',
        updated: updated_at > new Date(Date.now() - 60_000),
        deleted: !!deleted_at,
        stripeDeleted: !!stripe_deleted_at,
      },
    ]),
  );
}

describe('writeStripeRows', () => {
  it('stores exactly the rows the per-row statements stored, guard, links, claims, deletions and duplicates included', async () => {
    const past = new Date(Date.now() - 3_600_000);
    await Promise.all(
      [one, perRow].map((d) =>
        d.db('customers').insert(seed.map((r) => ({ ...r, created_at: past, updated_at: past }))),
      ),
    );

    await one.db.transaction((trx) => writeStripeRows(trx, writes));
    await perRow.db.transaction(async (trx) => {
      for (const write of writes) await writeOneByOne(trx, write);
    });

    const [batched, reference] = await Promise.all([rowsOf(one.db), rowsOf(perRow.db)]);
    expect(batched).toEqual(reference);
    expect(batched['cus_newer']).toMatchObject({ name: 'Newer', stripe_event_id: 'evt_b' });
    expect(batched['cus_inflight']).toMatchObject({ id: uuid(3), name: 'Claim', email_claim: 'claim@example.com' });
    expect(batched['cus_claimed']).toMatchObject({ email: 'other@example.com', email_claim: null });
    expect(batched['cus_pending']).toMatchObject({ refetch_on_settle: true });
    expect(batched['cus_delete']).toMatchObject({
      name: 'LastState',
      deleted: true,
      sync_status: 'synced',
      refetch_on_settle: false,
    });
    expect(batched['cus_stub']).toMatchObject({ name: 'Stub', pending_fields: {}, inbound_error: null, deleted: true });
    expect(batched['cus_linkonly']).toMatchObject({ id: uuid(7), stripe_event_created: null, updated: false });
    expect(batched['cus_dup']).toMatchObject({ duplicate_of: uuid(8), origin: 'stripe' });
    expect(JSON.stringify((batched['cus_dup'] as { metadata: unknown }).metadata)).toBe(
      '{"tier":"Dup","__proto__":"kept"}',
    );
    expect(batched['cus_gone']).toMatchObject({ deleted: true, stripeDeleted: true });
  });

  it('makes one round trip for a batch of any size', async () => {
    const many: StripeRowWrite[] = Array.from({ length: 500 }, (_, n) => ({
      kind: 'insert',
      rowId: uuid(1000 + n),
      snapshot: { stripeCustomerId: `cus_many${n}`, ...state(`Many${n}`) },
      stamp: stamp(1000 + n),
      deleted: false,
    }));
    const queries: string[] = [];
    const count = (q: { sql: string }) => queries.push(q.sql);
    one.db.on('query', count);
    try {
      await one.db.transaction((trx) => writeStripeRows(trx, many));
    } finally {
      one.db.off('query', count);
    }
    expect(queries.filter((sql) => !/^(BEGIN|COMMIT)/i.test(sql))).toHaveLength(1);
    expect(await one.db('customers').where('stripe_customer_id', 'like', 'cus_many%').count('* as n').first()).toEqual({
      n: 500,
    });
  });
});
