import { LINK_METADATA_KEY, type StripeCustomerObject } from '@customer-sync/contracts';
import type { LockedRows } from '@customer-sync/customer-writer-data';
import type { CustomerRow } from '@customer-sync/db';
import { linkClaimOf } from '@customer-sync/stripe-client';

/** Which row a Stripe customer's state goes to. */
export interface LinkTarget {
  row?: CustomerRow;
  /** No row: a new row of origin stripe, flagged as a duplicate of this one when set. */
  duplicateOf?: string;
}

/**
 * The link rule. A row linked to a Stripe id takes only that customer's state. A Stripe customer
 * not linked yet may take a row its metadata claims only while that row's own create is in flight
 * (an API row with no Stripe id yet whose create has not failed); it is linked at once, so a second
 * claimant in the same batch is a duplicate. Once the create failed, nothing of ours is in Stripe:
 * a link would make the next API write update the claimant instead of creating ours, so the
 * claimant is not linked. Any other claimant of an existing row becomes its own row, flagged
 * `duplicateOf` — except a legacy `internal_id` claim, which may be another tool's key and is only
 * a new row.
 */
export function resolveLink(locked: LockedRows, customer: StripeCustomerObject): LinkTarget {
  const linked = locked.byStripeId.get(customer.id);
  if (linked) return { row: linked };
  const claim = linkClaimOf(customer);
  const claimed = claim ? locked.byId.get(claim) : undefined;
  if (!claimed) return {};
  const linkedInThisBatch = [...locked.byStripeId.values()].includes(claimed);
  // Deleted or not: an API row deleted while its create was in flight is still that customer.
  const createInFlight =
    claimed.stripe_customer_id === null && claimed.origin === 'api' && claimed.sync_status !== 'failed';
  if (createInFlight && !linkedInThisBatch) {
    locked.byStripeId.set(customer.id, claimed);
    return { row: claimed };
  }
  return customer.metadata?.[LINK_METADATA_KEY] === claim ? { duplicateOf: claimed.id } : {};
}
