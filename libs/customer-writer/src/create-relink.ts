import type { Knex } from 'knex';
import { pendingKeyOf, type CustomerSyncResultPayload } from '@customer-sync/contracts';
import {
  relinkToOwnCustomer,
  takeBackReleasedCustomer,
  unlinkClaimant,
  type EventStamp,
} from '@customer-sync/customer-writer-data';
import { findCustomer, type CustomerRow } from '@customer-sync/db';
import type { Logger } from '@customer-sync/logger';
import type { StripeCustomerObject } from '@customer-sync/contracts';
import { snapshotOf, type Stripe } from '@customer-sync/stripe-client';
import { fetchTruth } from './stripe-event-applier';

/**
 * The customer our own create made (its sync result, made with our idempotency key) always wins the
 * link. A metadata claim links an in-flight row only provisionally: when the create's result names
 * another Stripe id, the row is re-linked to ours (stamped with our customer's newest event stored so
 * far, and a refetch asked, so it ends holding our customer's state, i.e. the API write), and the
 * claimant becomes its own row,
 * `origin: stripe`, flagged `duplicateOf` — its events (its deletion too) then go to that row only.
 * A deletion the claimant caused is undone unless the API deleted the row too (`api_deleted_at`).
 * Runs in the sync result's transaction, before the result is applied.
 */
export async function relinkToOwnCreate(
  trx: Knex.Transaction,
  stripe: Stripe,
  logger: Logger,
  payload: CustomerSyncResultPayload,
): Promise<void> {
  const ours = payload.stripeCustomerId;
  if (payload.action !== 'create' || payload.outcome !== 'synced' || !ours) return;
  const row = await findCustomer(trx, payload.customerId, { forUpdate: true });
  const claimant = row?.stripe_customer_id;
  if (!row || row.origin !== 'api' || claimant === ours) return;
  if (!claimant) {
    if (await takeBackReleasedCustomer(trx, row, ours))
      logger.warn('our own customer, deleted while its link was provisional, taken back', {
        rowId: row.id,
        stripeCustomerId: ours,
      });
    return;
  }
  const truth = await fetchTruth(stripe, claimant);
  const stamp = { created: row.stripe_event_created ?? 0, eventId: row.stripe_event_id ?? `relink:${row.id}` };
  const claim = { snapshot: snapshotOf(truth), deleted: truth.deleted === true, stamp };
  // The row says who deleted it (the outbox, which retention prunes, is not needed).
  if (
    !(await relinkToOwnCustomer(trx, row, ours, claim, row.stripe_deleted_at !== null && row.api_deleted_at === null))
  )
    return;
  logger.warn('a claimant held an in-flight row; re-linked to our own create, claimant stored as a duplicate', {
    rowId: row.id,
    stripeCustomerId: ours,
    claimant,
  });
}

/**
 * A claim links an in-flight row only while its create may still succeed. When the create's result
 * is `failed`, a claimant holding the row is let go: kept, its link would turn the user's next write
 * (a re-send of every field) into an update of the claimant's customer. The claimant becomes its
 * own row flagged `duplicateOf`; the row keeps our values — every field and metadata key of the
 * create is still pending, so the claim changed none of them; keys only the claimant had are
 * dropped. A row the claimant's deletion deleted stays as it is: its fields are the claimant's last
 * state, and a deleted row takes no write. Runs in the sync result's transaction, before the result
 * is applied.
 */
export async function unlinkClaimantOfFailedCreate(
  trx: Knex.Transaction,
  stripe: Stripe,
  logger: Logger,
  payload: CustomerSyncResultPayload,
): Promise<void> {
  if (payload.action !== 'create' || payload.outcome !== 'failed') return;
  const row = await findCustomer(trx, payload.customerId, { forUpdate: true });
  const claimant = row?.stripe_customer_id;
  if (!row || row.origin !== 'api' || !claimant || claimant === payload.stripeCustomerId || row.stripe_deleted_at)
    return;
  const truth = await fetchTruth(stripe, claimant);
  const stamp = { created: row.stripe_event_created ?? 0, eventId: row.stripe_event_id ?? `unlink:${row.id}` };
  await unlinkClaimant(trx, row, ourMetadata(row), {
    snapshot: snapshotOf(truth),
    deleted: truth.deleted === true,
    stamp,
  });
  logger.warn('our create failed while a claimant held the row; claimant stored as a duplicate', {
    rowId: row.id,
    claimant,
  });
}

/** The row's metadata keys an API write still has pending: ours, whatever a claimant merged in. */
const ourMetadata = (row: CustomerRow) =>
  Object.fromEntries(
    Object.entries(row.metadata).filter(([k]) => Object.hasOwn(row.pending_fields, pendingKeyOf.metadata(k))),
  );

/**
 * Whether a deletion of `customer` is a claimant letting go of `row`: the claim's link is still
 * provisional (our create's result has not confirmed it), or is being made by this very batch.
 */
export const isProvisionalClaimOf = (row: CustomerRow, customer: StripeCustomerObject) =>
  row.origin === 'api' &&
  (row.stripe_customer_id === null || (row.link_provisional && row.stripe_customer_id === customer.id));

/**
 * A claimant deleted while its link to `row` is provisional lets go of the row instead of deleting
 * it: the row is still waiting for our create, which no claimant's deletion touches. The claimant
 * becomes its own deleted row flagged `duplicateOf`; the row drops the link and the metadata keys
 * only the claimant had (every field of ours is still pending, so it holds our values). Should the
 * released customer be our own (its event came before our create's result), our create's result
 * takes it back, deletion included (relinkToOwnCreate). Returns the claimant's row id.
 */
export async function releaseDeletedClaimant(
  trx: Knex.Transaction,
  row: CustomerRow,
  customer: StripeCustomerObject,
  stamp: EventStamp,
): Promise<string> {
  return unlinkClaimant(trx, row, ourMetadata(row), { snapshot: snapshotOf(customer), deleted: true, stamp });
}
