import type { Knex } from 'knex';
import type { StripeCustomerObject } from '@customer-sync/contracts';
import { applyStripeState, markStripeDeleted, type EventStamp } from '@customer-sync/customer-writer-data';
import { profileOf, type CustomerRow } from '@customer-sync/db';
import { snapshotOf } from '@customer-sync/stripe-client';
import { mergeInbound } from './field-merge';
import { isStub } from './customer-event-types';

/** What a merge left open: conflicting pending keys, and every pending key kept against Stripe's value (see MergeResult). */
export interface RowMergeOutcome {
  conflicts: string[];
  unsettled: string[];
}

/**
 * Stores one Stripe state on a row by the field-level merge (see mergeInbound) and asks for a
 * refetch once the pending writes settle when a pending key kept our value against Stripe's. A
 * deleted customer is final: the row is deleted and synced whatever was pending, keeping the last
 * full snapshot when the event carries one.
 */
export async function mergeIntoRow(
  trx: Knex.Transaction,
  row: CustomerRow,
  customer: StripeCustomerObject,
  stamp: EventStamp,
  how: { deleted: boolean; changed?: Set<string>; ownWrite: boolean },
): Promise<RowMergeOutcome> {
  const { stripeCustomerId: _id, ...incoming } = snapshotOf(customer, row.id);
  if (how.deleted) {
    await markStripeDeleted(trx, row.id, stamp, isStub(customer) ? undefined : incoming);
    return { conflicts: [], unsettled: [] };
  }
  const { metadata: incomingMetadata, ...incomingFields } = incoming;
  const merged = mergeInbound({
    row: { fields: profileOf(row), metadata: row.metadata, pending: row.pending_fields },
    incoming: { fields: incomingFields, metadata: incomingMetadata },
    changed: how.changed,
    ownWrite: how.ownWrite,
  });
  await applyStripeState(trx, row.id, customer.id, { ...merged.fields, metadata: merged.metadata }, stamp, { conflict: merged.unsettled.length > 0 });
  return { conflicts: merged.conflicts, unsettled: merged.unsettled };
}
