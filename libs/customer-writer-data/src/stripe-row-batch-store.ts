import type { Knex } from 'knex';
import { PROFILE_FIELD_NAMES, type CustomerFields, type StripeCustomerSnapshot } from '@customer-sync/contracts';
import type { EventStamp } from './stripe-customer-store';

/**
 * One row change that db-writer decided in code for a batch of Stripe events. Each is what one of
 * the per-row statements does: `insert` insertStripeCustomer, `state` applyStripeState (guarded by
 * the ordering rule in SQL), `delete` markStripeDeleted, `link` linkStripeCustomer. Every write to
 * an existing row also links it to `stripeCustomerId` when it has no Stripe id yet — a claim's link,
 * marked `link_provisional` until our create's result confirms or replaces it.
 */
export type StripeRowWrite =
  | {
      kind: 'insert';
      rowId: string;
      snapshot: StripeCustomerSnapshot;
      stamp: EventStamp;
      deleted: boolean;
      duplicateOf?: string;
    }
  | {
      kind: 'state';
      rowId: string;
      stripeCustomerId: string;
      state: CustomerFields;
      stamp: EventStamp;
      conflict: boolean;
    }
  | { kind: 'delete'; rowId: string; stripeCustomerId: string; stamp: EventStamp; lastState?: CustomerFields }
  | { kind: 'link'; rowId: string; stripeCustomerId: string };

/** The columns a Stripe state sets: the profile fields and metadata, named as in the table. */
const STATE_COLUMNS = [...PROFILE_FIELD_NAMES, 'metadata'];

/** A write as one JSON element: control fields, and `row` read by jsonb_populate_record as a customers row. */
function elementOf(write: StripeRowWrite): Record<string, unknown> {
  const stamp =
    'stamp' in write ? { stripe_event_created: write.stamp.created, stripe_event_id: write.stamp.eventId } : {};
  switch (write.kind) {
    case 'insert': {
      const { stripeCustomerId, ...state } = write.snapshot;
      const row = {
        ...state,
        ...stamp,
        id: write.rowId,
        stripe_customer_id: stripeCustomerId,
        duplicate_of: write.duplicateOf ?? null,
      };
      return { kind: 'insert', deleted: write.deleted, row };
    }
    case 'state':
      return {
        kind: 'state',
        conflict: write.conflict,
        hasState: true,
        row: { ...write.state, ...stamp, id: write.rowId, stripe_customer_id: write.stripeCustomerId },
      };
    case 'delete':
      return {
        kind: 'delete',
        hasState: !!write.lastState,
        row: { ...write.lastState, ...stamp, id: write.rowId, stripe_customer_id: write.stripeCustomerId },
      };
    case 'link':
      return { kind: 'link', row: { id: write.rowId, stripe_customer_id: write.stripeCustomerId } };
  }
}

const q = (column: string) => `"${column.replace(/"/g, '""')}"`;
const byKind = (kinds: Record<string, string>, otherwise: string) =>
  `case i.kind ${Object.entries(kinds)
    .map(([kind, value]) => `when '${kind}' then ${value}`)
    .join(' ')} else ${otherwise} end`;

/**
 * One statement for all writes: the elements as customers rows (jsonb_populate_record, so the
 * column types come from the table), an UPDATE of the existing rows and an INSERT of the new ones.
 */
const BATCH_SQL = (() => {
  const stateSet = STATE_COLUMNS.map((c) => `${q(c)} = case when i.has_state then i.${q(c)} else c.${q(c)} end`);
  const setStamp = (c: string) => `${c} = ${byKind({ link: `c.${c}` }, `i.${c}`)}`;
  const whenDeleted = (c: string, value: string) => `${c} = ${byKind({ delete: value }, `c.${c}`)}`;
  const cols = STATE_COLUMNS.map(q).join(', ');
  return `
with input as (
  select e->>'kind' as kind, coalesce((e->>'hasState')::boolean, false) as has_state,
         coalesce((e->>'conflict')::boolean, false) as conflict, coalesce((e->>'deleted')::boolean, false) as deleted, r.*
  from jsonb_array_elements(?::jsonb) as e, jsonb_populate_record(null::customers, e->'row') as r
), updated as (
  update customers c set
    ${stateSet.join(',\n    ')},
    stripe_customer_id = coalesce(c.stripe_customer_id, i.stripe_customer_id),
    -- Only a claim links an existing row here (the result of our own create links in applySyncResult): provisional until that result.
    link_provisional = c.link_provisional or (c.stripe_customer_id is null and i.stripe_customer_id is not null),
    ${setStamp('stripe_event_created')},
    ${setStamp('stripe_event_id')},
    email_claim = ${byKind({ state: 'case when c.email_claim = lower(i.email) then c.email_claim end' }, 'c.email_claim')},
    refetch_on_settle = ${byKind({ state: 'c.refetch_on_settle or i.conflict', delete: 'false' }, 'c.refetch_on_settle')},
    inbound_error = ${byKind({ link: 'c.inbound_error' }, 'null')},
    updated_at = ${byKind({ link: 'c.updated_at' }, 'now()')},
    ${whenDeleted('sync_status', `'synced'`)},
    ${whenDeleted('sync_error', 'null')},
    ${whenDeleted('pending_fields', `'{}'::jsonb`)},
    ${whenDeleted('deleted_at', 'coalesce(c.deleted_at, now())')},
    ${whenDeleted('stripe_deleted_at', 'coalesce(c.stripe_deleted_at, now())')}
  from input i
  where c.id = i.id and i.kind <> 'insert'
    and (i.kind <> 'state' or c.stripe_event_created is null or c.stripe_event_created <= i.stripe_event_created)
  returning c.id
), inserted as (
  insert into customers (id, ${cols}, stripe_event_created, stripe_event_id, stripe_customer_id, origin, sync_status, duplicate_of, deleted_at, stripe_deleted_at)
  select id, ${cols}, stripe_event_created, stripe_event_id, stripe_customer_id, 'stripe', 'synced', duplicate_of,
         case when deleted then now() end, case when deleted then now() end
  from input where kind = 'insert'
  returning id
)
select (select count(*) from updated)::int as updated, (select count(*) from inserted)::int as inserted`;
})();

/**
 * Applies the writes a batch of Stripe events decided, whatever their number, in one round trip
 * (the set-based form of the per-row statements, see StripeRowWrite). The ordering guard of a
 * `state` write is in the statement, as in applyStripeState: a row never moves back. At most one
 * write per row. Any error fails the whole statement (callers that need per-row failures call it
 * with one write at a time).
 */
export async function writeStripeRows(trx: Knex.Transaction, writes: StripeRowWrite[]): Promise<void> {
  if (writes.length === 0) return;
  await trx.raw(BATCH_SQL, [JSON.stringify(writes.map(elementOf))]);
}
