import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { CustomerFields, StripeCustomerSnapshot } from '@customer-sync/contracts';
import { profileColumns, type CustomerRow } from '@customer-sync/db';

/** The newest Stripe event (or refetch) whose state a row holds. */
export interface EventStamp {
  created: number;
  eventId: string;
}

const TABLE = 'customers';

/** The rows a set of Stripe customers may concern, locked: by their Stripe ids and by the row ids their metadata claims. */
export interface LockedRows {
  byStripeId: Map<string, CustomerRow>;
  byId: Map<string, CustomerRow>;
}

/** Locks, in one query (in id order, so concurrent batches never deadlock), the rows linked to or claimed by the given Stripe customers. */
export async function lockRowsForStripeCustomers(
  trx: Knex.Transaction,
  stripeIds: string[],
  claimedIds: string[],
): Promise<LockedRows> {
  if (stripeIds.length === 0) return { byStripeId: new Map(), byId: new Map() };
  // Ids as two array parameters: a batch of any size is one short statement.
  const rows = await trx<CustomerRow>(TABLE)
    .whereRaw('stripe_customer_id = any(?::text[])', [stripeIds])
    .orWhereRaw('id = any(?::uuid[])', [claimedIds])
    .orderBy('id')
    .forUpdate();
  return {
    byStripeId: new Map(rows.filter((r) => r.stripe_customer_id).map((r) => [r.stripe_customer_id!, r])),
    byId: new Map(rows.map((r) => [r.id, r])),
  };
}

/** A customer's state as columns. */
export const stateColumns = (state: CustomerFields) => {
  const { metadata, ...profile } = state;
  return { ...profileColumns(profile), metadata: JSON.stringify(metadata) };
};

/** An event stamp as columns. */
export const stampColumns = (stamp: EventStamp) => ({
  stripe_event_created: stamp.created,
  stripe_event_id: stamp.eventId,
});

/**
 * Stores Stripe's (merged) state on a row linked to `stripeCustomerId`, guarded in SQL by the
 * ordering rule (the stamp never moves back). An email other than the one the API claimed releases
 * the claim, so Stripe's value always applies. `conflict` asks for a refetch once pending writes settle.
 */
export async function applyStripeState(
  trx: Knex.Transaction,
  rowId: string,
  stripeCustomerId: string,
  state: CustomerFields,
  stamp: EventStamp,
  options: { conflict: boolean },
): Promise<void> {
  await trx(TABLE)
    .where({ id: rowId })
    .where((q) => q.whereNull('stripe_event_created').orWhere('stripe_event_created', '<=', stamp.created))
    .update({
      ...stateColumns(state),
      ...stampColumns(stamp),
      stripe_customer_id: trx.raw('coalesce(stripe_customer_id, ?)', [stripeCustomerId]),
      // A row linked here had no Stripe id: a claim's link, provisional until our create's result.
      link_provisional: trx.raw('link_provisional or stripe_customer_id is null'),
      email_claim: trx.raw('case when email_claim = lower(?) then email_claim end', [state.email]),
      refetch_on_settle: options.conflict ? true : trx.raw('refetch_on_settle'),
      inbound_error: null,
      updated_at: trx.fn.now(),
    });
}

/**
 * Links a row to its Stripe customer when it has none yet (the create in flight that a claim names);
 * provisional until our create's result confirms or replaces it.
 */
export async function linkStripeCustomer(
  trx: Knex.Transaction,
  rowId: string,
  stripeCustomerId: string,
): Promise<void> {
  await trx(TABLE)
    .where({ id: rowId })
    .whereNull('stripe_customer_id')
    .update({ stripe_customer_id: stripeCustomerId, link_provisional: true });
}

/** After a refetch: the flag stays only while a conflicting write is still pending. */
export async function setRefetchOnSettle(trx: Knex.Transaction, rowId: string, value: boolean): Promise<void> {
  await trx(TABLE).where({ id: rowId }).update({ refetch_on_settle: value });
}

/**
 * Stripe deleted the customer: final. The row is deleted and synced, whatever API writes were
 * pending (they can never reach Stripe), and is never changed by Stripe again.
 */
export async function markStripeDeleted(
  trx: Knex.Transaction,
  rowId: string,
  stamp: EventStamp,
  lastState?: CustomerFields,
): Promise<void> {
  await trx(TABLE)
    .where({ id: rowId })
    .update({
      ...(lastState && stateColumns(lastState)),
      ...stampColumns(stamp),
      sync_status: 'synced',
      sync_error: null,
      pending_fields: '{}',
      refetch_on_settle: false,
      inbound_error: null,
      updated_at: trx.fn.now(),
      deleted_at: trx.raw('coalesce(deleted_at, now())'),
      stripe_deleted_at: trx.raw('coalesce(stripe_deleted_at, now())'),
    });
}

/**
 * A customer first seen in Stripe (dashboard or another system) becomes a row of origin `stripe`;
 * `duplicateOf` flags one whose metadata claimed a row already linked to another Stripe customer.
 * Returns the new row's id.
 */
export async function insertStripeCustomer(
  trx: Knex.Transaction,
  snapshot: StripeCustomerSnapshot,
  stamp: EventStamp,
  options: { deleted: boolean; duplicateOf?: string },
): Promise<string> {
  const { stripeCustomerId, ...state } = snapshot;
  const id = randomUUID();
  await trx(TABLE).insert({
    id,
    ...stateColumns(state),
    ...stampColumns(stamp),
    stripe_customer_id: stripeCustomerId,
    origin: 'stripe',
    sync_status: 'synced',
    duplicate_of: options.duplicateOf ?? null,
    deleted_at: options.deleted ? trx.fn.now() : null,
    stripe_deleted_at: options.deleted ? trx.fn.now() : null,
  });
  return id;
}

/** An event that could not be stored: the row shows why, until a refetch or reconcile stores Stripe's state. */
export async function markInboundError(trx: Knex.Transaction, rowId: string, reason: string): Promise<void> {
  await trx(TABLE).where({ id: rowId }).update({ inbound_error: reason, updated_at: trx.fn.now() });
}

/**
 * Marks the live row linked to `stripeCustomerId` (an event for it that could not be read): returns
 * its id, or undefined when no live row holds that Stripe id.
 */
export async function markInboundErrorOfStripeCustomer(
  trx: Knex.Transaction,
  stripeCustomerId: string,
  reason: string,
): Promise<string | undefined> {
  const [row] = await trx(TABLE)
    .where({ stripe_customer_id: stripeCustomerId })
    .whereNull('deleted_at')
    .update({ inbound_error: reason, updated_at: trx.fn.now() })
    .returning('id');
  return (row as { id: string } | undefined)?.id;
}

/** The row now holds what Stripe holds: in sync, whatever it was waiting for. */
export async function markSyncedWithStripe(
  trx: Knex.Transaction,
  rowId: string,
  stripeCustomerId: string,
): Promise<void> {
  await trx(TABLE).where({ id: rowId }).update({
    stripe_customer_id: stripeCustomerId,
    sync_status: 'synced',
    sync_error: null,
    updated_at: trx.fn.now(),
  });
}
