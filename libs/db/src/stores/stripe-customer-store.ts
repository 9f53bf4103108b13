import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { CustomerSyncResultPayload, StripeCustomerSnapshot } from '@customer-sync/contracts';
import type { CustomerRow } from './customer-row';
import { profileColumns } from './profile-columns';

/** The newest Stripe event whose state a row holds. */
export interface EventStamp {
  created: number;
  eventId: string;
}

const TABLE = 'customers';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface StripeLink {
  stripeCustomerId: string;
  /** metadata.internal_id, set on customers created through our API. */
  internalId?: string;
}

/**
 * Locks, in one query, the rows the given Stripe customers belong to: linked by Stripe id, else by
 * the internal id we set as metadata. Returned by Stripe customer id.
 */
export async function lockRowsForStripeCustomers(trx: Knex.Transaction, links: StripeLink[]): Promise<Map<string, CustomerRow>> {
  if (links.length === 0) return new Map();
  const internalIds = links.map((l) => l.internalId).filter((id): id is string => !!id && UUID.test(id));
  const rows = await trx<CustomerRow>(TABLE)
    .whereIn('stripe_customer_id', links.map((l) => l.stripeCustomerId))
    .orWhereIn('id', internalIds)
    .orderBy('id')
    .forUpdate();
  const byStripeId = new Map(rows.filter((r) => r.stripe_customer_id).map((r) => [r.stripe_customer_id!, r]));
  const byId = new Map(rows.map((r) => [r.id, r]));
  const out = new Map<string, CustomerRow>();
  for (const link of links) {
    const row = byStripeId.get(link.stripeCustomerId) ?? (link.internalId ? byId.get(link.internalId) : undefined);
    if (row) out.set(link.stripeCustomerId, row);
  }
  return out;
}

const snapshotColumns = (s: StripeCustomerSnapshot, stamp: EventStamp) => ({
  stripe_customer_id: s.stripeCustomerId,
  name: s.name,
  email: s.email,
  phone: s.phone,
  description: s.description,
  metadata: JSON.stringify(s.metadata),
  ...profileColumns(s),
  stripe_event_created: stamp.created,
  stripe_event_id: stamp.eventId,
});

/** Applies Stripe's state to a row; `deleted` also stamps deleted_at (kept if already set). */
export async function applyStripeSnapshot(trx: Knex.Transaction, rowId: string, snapshot: StripeCustomerSnapshot, stamp: EventStamp, deleted: boolean): Promise<void> {
  await trx(TABLE)
    .where({ id: rowId })
    .update({
      ...snapshotColumns(snapshot, stamp),
      updated_at: trx.fn.now(),
      ...(deleted ? { deleted_at: trx.raw('coalesce(deleted_at, now())') } : {}),
    });
}

/** Links the row to its Stripe customer and records the event, leaving the fields as they are. */
export async function linkAndStamp(trx: Knex.Transaction, rowId: string, stripeCustomerId: string, stamp: EventStamp): Promise<void> {
  await trx(TABLE)
    .where({ id: rowId })
    .update({
      stripe_customer_id: trx.raw('coalesce(stripe_customer_id, ?)', [stripeCustomerId]),
      stripe_event_created: stamp.created,
      stripe_event_id: stamp.eventId,
    });
}

export async function markStripeDeleted(trx: Knex.Transaction, rowId: string, stamp: EventStamp): Promise<void> {
  await trx(TABLE)
    .where({ id: rowId })
    .update({
      stripe_event_created: stamp.created,
      stripe_event_id: stamp.eventId,
      updated_at: trx.fn.now(),
      deleted_at: trx.raw('coalesce(deleted_at, now())'),
    });
}

/** A customer first seen in Stripe (dashboard or another system) becomes a row of origin `stripe`. */
export async function insertStripeCustomer(trx: Knex.Transaction, snapshot: StripeCustomerSnapshot, stamp: EventStamp, deleted: boolean): Promise<void> {
  await trx(TABLE).insert({
    id: randomUUID(),
    ...snapshotColumns(snapshot, stamp),
    origin: 'stripe',
    sync_status: 'synced',
    deleted_at: deleted ? trx.fn.now() : null,
  });
}

/**
 * Records what the sync worker did: links the Stripe id, and sets the status only when no newer
 * API write is waiting (its version is higher), so a late result never hides pending work.
 */
export async function applySyncResult(db: Knex, result: CustomerSyncResultPayload): Promise<number> {
  return db(TABLE)
    .where({ id: result.customerId })
    .update({
      stripe_customer_id: db.raw('coalesce(stripe_customer_id, ?)', [result.stripeCustomerId]),
      sync_status: db.raw('case when version <= ? then ? else sync_status end', [result.version, result.outcome]),
      sync_error: db.raw('case when version <= ? then ? else sync_error end', [result.version, result.error?.message ?? null]),
      updated_at: db.fn.now(),
    });
}
