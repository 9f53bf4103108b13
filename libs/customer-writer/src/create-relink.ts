import type { Knex } from 'knex';
import { pendingKeyOf, type CustomerSyncResultPayload } from '@customer-sync/contracts';
import { relinkToOwnCustomer, unlinkClaimant } from '@customer-sync/customer-writer-data';
import { findCustomer } from '@customer-sync/db';
import type { Logger } from '@customer-sync/logger';
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
export async function relinkToOwnCreate(trx: Knex.Transaction, stripe: Stripe, logger: Logger, payload: CustomerSyncResultPayload): Promise<void> {
  const ours = payload.stripeCustomerId;
  if (payload.action !== 'create' || payload.outcome !== 'synced' || !ours) return;
  const row = await findCustomer(trx, payload.customerId, { forUpdate: true });
  const claimant = row?.stripe_customer_id;
  if (!row || row.origin !== 'api' || !claimant || claimant === ours) return;
  const truth = await fetchTruth(stripe, claimant);
  const stamp = { created: row.stripe_event_created ?? 0, eventId: row.stripe_event_id ?? `relink:${row.id}` };
  const claim = { snapshot: snapshotOf(truth), deleted: truth.deleted === true, stamp };
  // The row says who deleted it (the outbox, which retention prunes, is not needed).
  if (!(await relinkToOwnCustomer(trx, row, ours, claim, row.stripe_deleted_at !== null && row.api_deleted_at === null))) return;
  logger.warn('a claimant held an in-flight row; re-linked to our own create, claimant stored as a duplicate', { rowId: row.id, stripeCustomerId: ours, claimant });
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
export async function unlinkClaimantOfFailedCreate(trx: Knex.Transaction, stripe: Stripe, logger: Logger, payload: CustomerSyncResultPayload): Promise<void> {
  if (payload.action !== 'create' || payload.outcome !== 'failed') return;
  const row = await findCustomer(trx, payload.customerId, { forUpdate: true });
  const claimant = row?.stripe_customer_id;
  if (!row || row.origin !== 'api' || !claimant || claimant === payload.stripeCustomerId || row.stripe_deleted_at) return;
  const truth = await fetchTruth(stripe, claimant);
  const stamp = { created: row.stripe_event_created ?? 0, eventId: row.stripe_event_id ?? `unlink:${row.id}` };
  const ours = Object.fromEntries(Object.entries(row.metadata).filter(([k]) => Object.hasOwn(row.pending_fields, pendingKeyOf.metadata(k))));
  await unlinkClaimant(trx, row, ours, { snapshot: snapshotOf(truth), deleted: truth.deleted === true, stamp });
  logger.warn('our create failed while a claimant held the row; claimant stored as a duplicate', { rowId: row.id, claimant });
}
