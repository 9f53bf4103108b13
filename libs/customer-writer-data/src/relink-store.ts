import type { Knex } from 'knex';
import type { StripeCustomerSnapshot } from '@customer-sync/contracts';
import type { CustomerRow } from '@customer-sync/db';
import { insertStripeCustomer, stampColumns, stateColumns, type EventStamp } from './stripe-customer-store';

const TABLE = 'customers';

/** The claimant that held a row provisionally, and what Stripe holds for it now. */
export interface Claimant {
  snapshot: StripeCustomerSnapshot;
  deleted: boolean;
  /** The stamp its row starts with (the one the claimed row held). */
  stamp: EventStamp;
}

/**
 * Gives the link of `row` (held by a claimant) to `ours`, the customer our own create made: the row
 * takes the event stamp of our customer's newest event stored so far (none, or the duplicate row's)
 * and asks for a refetch (so it ends holding our customer's state) and, with
 * `undoStripeDelete`, loses a deletion the claimant caused; the claimant becomes its own row flagged
 * `duplicateOf` the row — the row that already holds `ours` as such a duplicate (our create's own
 * event came first) is reused for it. Returns false, changing nothing, when another row holds `ours`.
 */
export async function relinkToOwnCustomer(
  trx: Knex.Transaction,
  row: CustomerRow,
  ours: string,
  claimant: Claimant,
  undoStripeDelete: boolean,
): Promise<boolean> {
  const holder = await trx<CustomerRow>(TABLE).where({ stripe_customer_id: ours }).forUpdate().first();
  if (holder && (holder.origin !== 'stripe' || holder.duplicate_of !== row.id)) return false;
  await trx(TABLE).where({ id: row.id }).update({ stripe_customer_id: null });
  const deletion = {
    deleted_at: claimant.deleted ? trx.fn.now() : null,
    stripe_deleted_at: claimant.deleted ? trx.fn.now() : null,
  };
  const { stripeCustomerId, ...state } = claimant.snapshot;
  if (holder) {
    await trx(TABLE)
      .where({ id: holder.id })
      .update({
        ...stateColumns(state),
        ...stampColumns(claimant.stamp),
        ...deletion,
        stripe_customer_id: stripeCustomerId,
        updated_at: trx.fn.now(),
      });
  } else
    await insertStripeCustomer(trx, claimant.snapshot, claimant.stamp, {
      deleted: claimant.deleted,
      duplicateOf: row.id,
    });
  await trx(TABLE)
    .where({ id: row.id })
    .update({
      stripe_customer_id: ours,
      link_provisional: false,
      // The newest event of ours already stored (on the duplicate row) stays the stamp: an older one
      // arriving later is stale, as it would have been had the row been ours all along.
      stripe_event_created: holder?.stripe_event_created ?? null,
      stripe_event_id: holder?.stripe_event_id ?? null,
      refetch_on_settle: true,
      ...(undoStripeDelete && { deleted_at: null, stripe_deleted_at: null }),
      updated_at: trx.fn.now(),
    });
  return true;
}

/**
 * A claimant held `row` provisionally and lets go (our create failed, or the claimant was deleted):
 * the row drops the link and its event stamp and keeps `metadata` (our keys); the claimant becomes
 * its own row flagged `duplicateOf` it. Returns that row's id.
 */
export async function unlinkClaimant(
  trx: Knex.Transaction,
  row: CustomerRow,
  metadata: Record<string, string>,
  claimant: Claimant,
): Promise<string> {
  await trx(TABLE)
    .where({ id: row.id })
    .update({
      stripe_customer_id: null,
      link_provisional: false,
      stripe_event_created: null,
      stripe_event_id: null,
      refetch_on_settle: false,
      metadata: JSON.stringify(metadata),
      updated_at: trx.fn.now(),
    });
  return insertStripeCustomer(trx, claimant.snapshot, claimant.stamp, {
    deleted: claimant.deleted,
    duplicateOf: row.id,
  });
}

/**
 * Our create's result names `ours`, which a row of origin stripe flagged `duplicateOf` the row holds:
 * our own customer, let go as a claimant when it was deleted while its link was provisional. The row
 * takes it back — its stamp and, a deletion in Stripe being final, its deletion — and that row goes.
 * Returns false when no such row exists.
 */
export async function takeBackReleasedCustomer(
  trx: Knex.Transaction,
  row: CustomerRow,
  ours: string,
): Promise<boolean> {
  const holder = await trx<CustomerRow>(TABLE)
    .where({ stripe_customer_id: ours, origin: 'stripe', duplicate_of: row.id })
    .forUpdate()
    .first();
  if (!holder) return false;
  await trx(TABLE).where({ id: holder.id }).del();
  const deletion = holder.stripe_deleted_at && {
    deleted_at: trx.raw('coalesce(deleted_at, now())'),
    stripe_deleted_at: trx.fn.now(),
    pending_fields: '{}',
  };
  await trx(TABLE)
    .where({ id: row.id })
    .update({
      stripe_customer_id: ours,
      stripe_event_created: holder.stripe_event_created,
      stripe_event_id: holder.stripe_event_id,
      refetch_on_settle: !deletion,
      ...deletion,
      updated_at: trx.fn.now(),
    });
  return true;
}
