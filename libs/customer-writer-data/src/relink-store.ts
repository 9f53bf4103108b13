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
export async function relinkToOwnCustomer(trx: Knex.Transaction, row: CustomerRow, ours: string, claimant: Claimant, undoStripeDelete: boolean): Promise<boolean> {
  const holder = await trx<CustomerRow>(TABLE).where({ stripe_customer_id: ours }).forUpdate().first();
  if (holder && (holder.origin !== 'stripe' || holder.duplicate_of !== row.id)) return false;
  await trx(TABLE).where({ id: row.id }).update({ stripe_customer_id: null });
  const deletion = { deleted_at: claimant.deleted ? trx.fn.now() : null, stripe_deleted_at: claimant.deleted ? trx.fn.now() : null };
  const { stripeCustomerId, ...state } = claimant.snapshot;
  if (holder) {
    await trx(TABLE)
      .where({ id: holder.id })
      .update({ ...stateColumns(state), ...stampColumns(claimant.stamp), ...deletion, stripe_customer_id: stripeCustomerId, updated_at: trx.fn.now() });
  } else await insertStripeCustomer(trx, claimant.snapshot, claimant.stamp, { deleted: claimant.deleted, duplicateOf: row.id });
  await trx(TABLE)
    .where({ id: row.id })
    .update({
      stripe_customer_id: ours,
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
 * Our create failed while a claimant held `row` provisionally: the row drops the link and its event
 * stamp and keeps `metadata` (our keys); the claimant becomes its own row flagged `duplicateOf` it.
 */
export async function unlinkClaimant(trx: Knex.Transaction, row: CustomerRow, metadata: Record<string, string>, claimant: Claimant): Promise<void> {
  await trx(TABLE)
    .where({ id: row.id })
    .update({ stripe_customer_id: null, stripe_event_created: null, stripe_event_id: null, refetch_on_settle: false, metadata: JSON.stringify(metadata), updated_at: trx.fn.now() });
  await insertStripeCustomer(trx, claimant.snapshot, claimant.stamp, { deleted: claimant.deleted, duplicateOf: row.id });
}
