import type { Knex } from 'knex';
import type { CustomerSyncResult, CustomerSyncResultPayload } from '@customer-sync/contracts';
import { recordProcessed, type ProcessedEvent } from '@customer-sync/customer-writer-data';
import { applySyncResult, type CustomerRow } from '@customer-sync/db';
import { afterSyncResult, settleClaimant, type SyncResultDeps } from './sync-result-handler';

const TABLE = 'customers';

/** The processed record of an applied result: its history line. */
export const syncResultRecord = (result: CustomerSyncResult): ProcessedEvent => {
  const { payload } = result;
  const detail = { version: payload.version, stripeCustomerId: payload.stripeCustomerId, error: payload.error };
  return {
    eventId: result.id,
    source: 'sync-result',
    outcome: payload.outcome,
    customerId: payload.customerId,
    eventType: payload.action,
    detail,
  };
};

/**
 * Whether settleClaimant may act on this result: its steps concern only a create's row linked to a
 * Stripe id other than the result's. While the batch has written nothing that could concern the row
 * (`fresh`), the copy locked at the start is its state, so the answer is read there and the steps'
 * own row reads are saved; otherwise they run and decide, as one at a time.
 */
function mayConcernClaimant(
  payload: CustomerSyncResultPayload,
  locked: CustomerRow | undefined,
  fresh: boolean,
): boolean {
  if (payload.action !== 'create') return false;
  if (!fresh) return true;
  return !!locked?.stripe_customer_id && locked.stripe_customer_id !== payload.stripeCustomerId;
}

/** Locks the batch's rows in one query, in id order (as the stripe.events batch does), so concurrent batches never deadlock. */
async function lockRows(trx: Knex.Transaction, customerIds: string[]): Promise<Map<string, CustomerRow>> {
  const rows = await trx<CustomerRow>(TABLE)
    .whereRaw('id = any(?::uuid[])', [[...new Set(customerIds)]])
    .orderBy('id')
    .forUpdate();
  return new Map(rows.map((r) => [r.id, r]));
}

/**
 * Applies a partition batch of sync results in one transaction: the rows locked in one query, each
 * result applied in offset order (so one customer's results apply in the order the worker made them,
 * exactly as one at a time), and every applied result recorded in one insert. Results for unknown
 * customers change and record nothing, as one at a time. Redelivered results set the same values
 * again (version-guarded) and their records already exist, so they change nothing.
 * After the commit, each applied result's latency is observed and a conflict it settled is
 * refetched, in order. A failure anywhere throws, and the consumer runner applies the batch again
 * one result at a time (where a permanent error dead-letters only its own result).
 * Returns the row after each result (undefined for an unknown customer), in the results' order.
 */
export async function applySyncResults(
  deps: SyncResultDeps,
  results: CustomerSyncResult[],
): Promise<(CustomerRow | undefined)[]> {
  const rows = await deps.db.transaction(async (trx) => {
    const locked = await lockRows(
      trx,
      results.map((r) => r.payload.customerId),
    );
    const touched = new Set<string>();
    // A claimant step may write rows besides the result's own (the claimant's), so after one no locked copy is trusted.
    let claimantStepRan = false;
    const applied: (CustomerRow | undefined)[] = [];
    // One record per applied result; a duplicate delivery within the batch is recorded once.
    const records = new Map<string, ProcessedEvent>();
    for (const result of results) {
      const { payload } = result;
      if (
        mayConcernClaimant(
          payload,
          locked.get(payload.customerId),
          !claimantStepRan && !touched.has(payload.customerId),
        )
      ) {
        await settleClaimant(trx, deps, payload);
        claimantStepRan = true;
      }
      const row = await applySyncResult(trx, payload);
      touched.add(payload.customerId);
      applied.push(row);
      if (row && !records.has(result.id)) records.set(result.id, syncResultRecord(result));
    }
    await recordProcessed(trx, [...records.values()]);
    return applied;
  });
  for (const [index, result] of results.entries()) await afterSyncResult(deps, result.payload, rows[index]);
  return rows;
}
