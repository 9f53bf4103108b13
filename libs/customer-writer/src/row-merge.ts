import type { Knex } from 'knex';
import type { StripeCustomerObject } from '@customer-sync/contracts';
import {
  applyStripeState,
  markStripeDeleted,
  type EventStamp,
  type StripeRowWrite,
} from '@customer-sync/customer-writer-data';
import { profileOf, type CustomerRow } from '@customer-sync/db';
import { snapshotOf } from '@customer-sync/stripe-client';
import { mergeInbound } from './field-merge';
import { isStub } from './customer-event-types';

/** How a Stripe state meets a row: a deletion, the pending keys it changed, whether it is our own echo. */
export interface MergeHow {
  deleted: boolean;
  changed?: Set<string>;
  ownWrite: boolean;
}

/** What a merge left open: conflicting pending keys, and every pending key kept against Stripe's value (see MergeResult). */
export interface RowMergeOutcome {
  conflicts: string[];
  unsettled: string[];
}

/**
 * The row write that stores one Stripe state on a row by the field-level merge (see mergeInbound),
 * and what it left open; nothing is written yet. The write asks for a refetch once the pending
 * writes settle when a pending key kept our value against Stripe's. A deleted customer is final: the
 * row is deleted and synced whatever was pending, keeping the last full snapshot when the event
 * carries one.
 */
export function rowWriteOf(
  row: CustomerRow,
  customer: StripeCustomerObject,
  stamp: EventStamp,
  how: MergeHow,
): RowMergeOutcome & { write: StripeRowWrite } {
  const { stripeCustomerId: _id, ...incoming } = snapshotOf(customer, row.id);
  if (how.deleted) {
    const lastState = isStub(customer) ? undefined : incoming;
    return {
      write: { kind: 'delete', rowId: row.id, stripeCustomerId: customer.id, stamp, lastState },
      conflicts: [],
      unsettled: [],
    };
  }
  const { metadata: incomingMetadata, ...incomingFields } = incoming;
  const merged = mergeInbound({
    row: { fields: profileOf(row), metadata: row.metadata, pending: row.pending_fields },
    incoming: { fields: incomingFields, metadata: incomingMetadata },
    changed: how.changed,
    ownWrite: how.ownWrite,
  });
  const state = { ...merged.fields, metadata: merged.metadata };
  const write: StripeRowWrite = {
    kind: 'state',
    rowId: row.id,
    stripeCustomerId: customer.id,
    state,
    stamp,
    conflict: merged.unsettled.length > 0,
  };
  return { write, conflicts: merged.conflicts, unsettled: merged.unsettled };
}

/** Stores one Stripe state on a row by the field-level merge (see rowWriteOf) and returns what it left open. */
export async function mergeIntoRow(
  trx: Knex.Transaction,
  row: CustomerRow,
  customer: StripeCustomerObject,
  stamp: EventStamp,
  how: MergeHow,
): Promise<RowMergeOutcome> {
  const { write, conflicts, unsettled } = rowWriteOf(row, customer, stamp, how);
  if (write.kind === 'delete') await markStripeDeleted(trx, row.id, stamp, write.lastState);
  else if (write.kind === 'state')
    await applyStripeState(trx, row.id, customer.id, write.state, stamp, { conflict: write.conflict });
  return { conflicts, unsettled };
}
