import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { CustomerSyncResult, type CustomerSyncResultPayload } from '@customer-sync/contracts';
import { recordProcessed, setRefetchOnSettle } from '@customer-sync/customer-writer-data';
import { applySyncResult, findCustomer, type CustomerRow, type Db } from '@customer-sync/db';
import type { TopicHandler } from '@customer-sync/kafka';
import type { Logger } from '@customer-sync/logger';
import type { Stripe } from '@customer-sync/stripe-client';
import type { Registry } from 'prom-client';
import { relinkToOwnCreate, unlinkClaimantOfFailedCreate } from './create-relink';
import { latencyMetrics } from './latency-metrics';
import { mergeIntoRow } from './row-merge';
import { applySyncResults, syncResultRecord } from './sync-result-batch';
import { fetchTruth } from './stripe-event-applier';

export interface SyncResultDeps {
  db: Db;
  stripe: Stripe;
  logger: Logger;
  /** Where the API write → synced latency is recorded. */
  registry?: Registry;
}

/**
 * After a pending write was kept against Stripe's value (a conflict, or an order unknown here), once
 * that write has settled: Stripe's current state is the answer, stored by the same merge.
 * Stripe is read while the row is locked, so an event applied meanwhile cannot be overwritten by
 * an older read. The row's event stamp is kept, not moved to our clock: events not yet applied and
 * newer than it still apply (the newest of them carries the final state), so no clock skew can
 * make one stale.
 */
export async function refetchRow(deps: SyncResultDeps, rowId: string, stripeCustomerId: string): Promise<void> {
  await deps.db.transaction(async (trx) => {
    const row = await findCustomer(trx, rowId, { forUpdate: true });
    if (!row || row.deleted_at || row.stripe_customer_id !== stripeCustomerId) return;
    const truth = await fetchTruth(deps.stripe, stripeCustomerId);
    const stamp = { created: row.stripe_event_created ?? 0, eventId: `refetch:${randomUUID()}` };
    const { unsettled } = await mergeIntoRow(trx, row, truth, stamp, {
      deleted: truth.deleted === true,
      ownWrite: false,
    });
    await setRefetchOnSettle(trx, row.id, unsettled.length > 0);
    await recordProcessed(trx, [
      {
        eventId: stamp.eventId,
        source: 'stripe',
        outcome: 'applied-from-stripe',
        customerId: row.id,
        eventType: 'refetch',
        detail: { reason: 'conflict settled' },
      },
    ]);
  });
}

/**
 * What a create's result settles about a claimant holding its row, before the result is applied, in
 * its transaction: our own customer wins the link, or a failed create lets the claimant go. Both the
 * one-at-a-time and the batch path run exactly this; each step reads the row and acts only on a
 * create's row linked to another Stripe id.
 */
export async function settleClaimant(
  trx: Knex.Transaction,
  deps: SyncResultDeps,
  payload: CustomerSyncResultPayload,
): Promise<void> {
  await relinkToOwnCreate(trx, deps.stripe, deps.logger, payload);
  await unlinkClaimantOfFailedCreate(trx, deps.stripe, deps.logger, payload);
}

/** Applies one sync result and records it (history); then settles a conflict by refetching. */
export async function handleSyncResult(
  deps: SyncResultDeps,
  result: CustomerSyncResult,
): Promise<CustomerRow | undefined> {
  const { payload } = result;
  const row = await deps.db.transaction(async (trx) => {
    await settleClaimant(trx, deps, payload);
    const updated = await applySyncResult(trx, payload);
    if (!updated) return undefined;
    await recordProcessed(trx, [syncResultRecord(result)]);
    return updated;
  });
  await afterSyncResult(deps, payload, row);
  return row;
}

/**
 * What follows an applied result's commit: the API write → synced latency, and the refetch of a
 * conflict the result settled. `row` is the row after the result, undefined for an unknown customer.
 */
export async function afterSyncResult(
  deps: SyncResultDeps,
  payload: CustomerSyncResultPayload,
  row: CustomerRow | undefined,
): Promise<void> {
  if (!row) deps.logger.warn('sync result for an unknown customer', { customerId: payload.customerId });
  if (row && payload.requestedAt && deps.registry) {
    latencyMetrics(deps.registry).syncLatency.observe(
      { action: payload.action, outcome: payload.outcome },
      Math.max(0, Date.now() - Date.parse(payload.requestedAt)) / 1000,
    );
  }
  if (row && row.refetch_on_settle && !row.deleted_at && row.stripe_customer_id)
    await refetchRow(deps, row.id, row.stripe_customer_id);
}

/**
 * customer.sync-results → the row's Stripe id, sync status, error and pending writes. Idempotent (it
 * sets values, guarded by version), so a redelivered result changes nothing. A partition batch is
 * applied in one transaction (applySyncResults); if that fails, the runner applies it one by one.
 */
export function syncResultHandler(deps: SyncResultDeps): TopicHandler<typeof CustomerSyncResult> {
  // Registered at start, so the latency series exist before the first observation.
  if (deps.registry) latencyMetrics(deps.registry);
  return {
    schema: CustomerSyncResult,
    handle: async (result) => void (await handleSyncResult(deps, result)),
    handleMany: async (messages) =>
      void (await applySyncResults(
        deps,
        messages.map((m) => m.value),
      )),
  };
}
