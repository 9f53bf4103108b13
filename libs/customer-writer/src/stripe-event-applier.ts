import type { Knex } from 'knex';
import { StripeCustomerObject, type StripeEvent } from '@customer-sync/contracts';
import {
  applyStripeSnapshot,
  findProcessed,
  insertStripeCustomer,
  linkAndStamp,
  lockRowsForStripeCustomers,
  markStripeDeleted,
  recordProcessed,
  type CustomerRow,
  type Db,
  type EventStamp,
  type ProcessedEvent,
} from '@customer-sync/db';
import type { Logger } from '@customer-sync/logger';
import { internalIdOf, snapshotOf, type Stripe } from '@customer-sync/stripe-client';
import { planBatch, type PlannedChange } from './batch-plan';
import { customerChangeOf, isStub, type CustomerChange } from './customer-event-types';
import { decide } from './ordering-rule';

export interface ApplierDeps {
  db: Db;
  /** Asked for the truth when two events of a customer share a second. */
  stripe: Stripe;
  logger: Logger;
}

const SOURCE = 'stripe';

/** Stripe's current object; a customer Stripe no longer knows counts as deleted. */
async function fetchTruth(stripe: Stripe, customerId: string): Promise<StripeCustomerObject> {
  try {
    return StripeCustomerObject.parse(await stripe.customers.retrieve(customerId));
  } catch (error) {
    if ((error as { code?: string }).code === 'resource_missing') return { id: customerId, object: 'customer', deleted: true };
    throw error;
  }
}

async function applyPlanned(trx: Knex.Transaction, deps: ApplierDeps, planned: PlannedChange, row: CustomerRow | undefined): Promise<string> {
  const { winner, tiedInBatch } = planned;
  const stamp: EventStamp = { created: winner.event.created, eventId: winner.event.id };
  const decision = decide(row && { created: row.stripe_event_created, deleted: row.deleted_at !== null }, {
    created: winner.event.created,
    deleted: winner.deleted,
    tiedInBatch,
  });
  let change: CustomerChange = winner;
  if (decision === 'stale' || decision === 'ignore-deleted') return decision;
  if (decision === 'tie') {
    const truth = await fetchTruth(deps.stripe, winner.customer.id);
    change = { event: winner.event, customer: truth, deleted: truth.deleted === true };
  }
  if (!row) {
    await insertStripeCustomer(trx, snapshotOf(change.customer), stamp, change.deleted);
  } else if (row.sync_status === 'pending' && !change.deleted) {
    // An API write of this customer is on its way to Stripe and will overwrite what this event
    // carries: the row keeps the newer, desired state.
    await linkAndStamp(trx, row.id, change.customer.id, stamp);
    return 'kept-pending-write';
  } else if (change.deleted && isStub(change.customer)) {
    await markStripeDeleted(trx, row.id, stamp);
  } else {
    await applyStripeSnapshot(trx, row.id, snapshotOf(change.customer), stamp, change.deleted);
  }
  return decision === 'tie' ? 'applied-from-stripe' : 'applied';
}

/**
 * Applies Stripe events to PostgreSQL in one transaction, recording every event id as processed in
 * that same transaction: a redelivered event finds its id and changes nothing.
 */
export async function applyStripeEvents(deps: ApplierDeps, events: StripeEvent[]): Promise<void> {
  await deps.db.transaction(async (trx) => {
    const done = await findProcessed(trx, events.map((e) => e.id));
    const fresh = [...new Map(events.filter((e) => !done.has(e.id)).map((e) => [e.id, e])).values()];
    if (fresh.length === 0) return;

    const records: ProcessedEvent[] = [];
    const changes: CustomerChange[] = [];
    for (const event of fresh) {
      const change = customerChangeOf(event);
      if (change) changes.push(change);
      else records.push({ eventId: event.id, source: SOURCE, outcome: 'ignored' });
    }

    const plan = planBatch(changes);
    const rows = await lockRowsForStripeCustomers(
      trx,
      plan.map((p) => ({ stripeCustomerId: p.winner.customer.id, internalId: internalIdOf(p.winner.customer) })),
    );
    for (const planned of plan) {
      const outcome = await applyPlanned(trx, deps, planned, rows.get(planned.winner.customer.id));
      records.push({ eventId: planned.winner.event.id, source: SOURCE, outcome });
      for (const other of planned.superseded) records.push({ eventId: other.event.id, source: SOURCE, outcome: 'superseded' });
      deps.logger.debug('stripe event applied', { eventId: planned.winner.event.id, type: planned.winner.event.type, outcome });
    }
    await recordProcessed(trx, records);
  });
}
