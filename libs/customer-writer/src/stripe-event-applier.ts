import type { Knex } from 'knex';
import { StripeCustomerObject, type StripeEvent } from '@customer-sync/contracts';
import { findProcessed, insertStripeCustomer, linkStripeCustomer, lockRowsForStripeCustomers, markInboundError, recordProcessed, type ProcessedEvent } from '@customer-sync/customer-writer-data';
import type { Db } from '@customer-sync/db';
import type { Logger } from '@customer-sync/logger';
import type { Registry } from 'prom-client';
import { linkClaimOf, snapshotOf, type Stripe } from '@customer-sync/stripe-client';
import { planBatch, type PlannedChange } from './batch-plan';
import { customerChangeOf, type CustomerChange } from './customer-event-types';
import { changedKeysOf } from './field-merge';
import { resolveLink, type LinkTarget } from './link-rule';
import { latencyMetrics } from './latency-metrics';
import { decide } from './ordering-rule';
import { mergeIntoRow } from './row-merge';
import type { WriterMetrics } from './writer-metrics';

export interface ApplierDeps {
  db: Db;
  /** Asked for the truth when two events of a customer share a second, and after conflicts. */
  stripe: Stripe;
  logger: Logger;
  metrics: WriterMetrics;
  /** The mode of the configured secret key (sk_live_ → true): events of the other mode are ignored. */
  livemode: boolean;
  /** The Connect account events must carry; undefined (the default) accepts only events without `account`. */
  account?: string;
  /** Where the event-to-applied latency is recorded. */
  registry?: Registry;
}

const SOURCE = 'stripe';
/** Our idempotency keys (see syncCustomer): an event caused by a request with one is the echo of our own write. */
const OWN_KEY_PREFIX = 'customer-sync:';

type EventWithRequest = StripeEvent & { request?: { idempotency_key?: string | null } | null; account?: string };
const isOwnWrite = (event: StripeEvent) => ((event as EventWithRequest).request?.idempotency_key ?? '').startsWith(OWN_KEY_PREFIX);

/** Stripe's current object; a customer Stripe no longer knows counts as deleted. */
export async function fetchTruth(stripe: Stripe, customerId: string): Promise<StripeCustomerObject> {
  try {
    return StripeCustomerObject.parse(await stripe.customers.retrieve(customerId));
  } catch (error) {
    if ((error as { code?: string }).code === 'resource_missing') return { id: customerId, object: 'customer', deleted: true };
    throw error;
  }
}

/** Events of another mode or account than this deployment's: acknowledged and ignored (docs/sync-rules.md). */
function foreignOutcome(event: StripeEvent, deps: ApplierDeps): 'ignored-livemode' | 'ignored-account' | undefined {
  if (event.livemode !== deps.livemode) return 'ignored-livemode';
  if (((event as EventWithRequest).account ?? undefined) !== deps.account) return 'ignored-account';
  return undefined;
}

/**
 * The pending keys that writes other than ours changed, over every event of the customer in the
 * batch newer than the row's stamp (a superseded event's changes count too); undefined when one
 * of them does not say (no previous_attributes).
 */
function changedByOthers(changes: CustomerChange[], since: number | null): Set<string> | undefined {
  const keys = new Set<string>();
  for (const change of changes) {
    if (isOwnWrite(change.event) || (since !== null && change.event.created < since)) continue;
    const changed = changedKeysOf(change.event.data.previous_attributes);
    if (!changed) return undefined;
    for (const key of changed) keys.add(key);
  }
  return keys;
}

interface Applied {
  outcome: string;
  customerId?: string;
  detail?: Record<string, unknown>;
}

async function applyPlanned(trx: Knex.Transaction, deps: ApplierDeps, planned: PlannedChange, target: LinkTarget): Promise<Applied> {
  const { winner, tiedInBatch } = planned;
  const { row } = target;
  const stamp = { created: winner.event.created, eventId: winner.event.id };
  // A claim linked an in-flight create: the link holds whatever the ordering rule decides below.
  if (row && row.stripe_customer_id === null) await linkStripeCustomer(trx, row.id, winner.customer.id);
  const decision = decide(row && { created: row.stripe_event_created, deleted: row.deleted_at !== null }, {
    created: winner.event.created,
    deleted: winner.deleted,
    tiedInBatch,
  });
  if (decision === 'stale' || decision === 'ignore-deleted') return { outcome: decision, customerId: row?.id };
  let change: CustomerChange = winner;
  if (decision === 'tie') {
    const truth = await fetchTruth(deps.stripe, winner.customer.id);
    change = { event: winner.event, customer: truth, deleted: truth.deleted === true };
  }
  const applied = decision === 'tie' ? 'applied-from-stripe' : 'applied';
  if (!row) {
    const id = await insertStripeCustomer(trx, snapshotOf(change.customer), stamp, { deleted: change.deleted, duplicateOf: target.duplicateOf });
    if (!target.duplicateOf) return { outcome: applied, customerId: id };
    deps.metrics.duplicates.inc();
    deps.logger.warn('a second Stripe customer claims a linked row; stored as its own row', { stripeCustomerId: change.customer.id, rowId: id, duplicateOf: target.duplicateOf });
    return { outcome: 'duplicate', customerId: id, detail: { duplicateOf: target.duplicateOf } };
  }
  const all = [winner, ...planned.superseded];
  const { conflicts } = await mergeIntoRow(trx, row, change.customer, stamp, {
    deleted: change.deleted,
    changed: decision === 'tie' ? undefined : changedByOthers(all, row.stripe_event_created),
    ownWrite: decision !== 'tie' && all.every((c) => isOwnWrite(c.event)),
  });
  if (conflicts.length === 0) return { outcome: applied, customerId: row.id };
  deps.metrics.conflicts.inc(conflicts.length);
  return { outcome: 'conflict', customerId: row.id, detail: { fields: conflicts, resolution: 'refetch from Stripe once the pending write settles' } };
}

/** PostgreSQL refused the data itself (SQLSTATE class 22 data exception, 23 integrity): retrying cannot help. */
const isUnstorable = (error: unknown) => /^2[23]/.test(String((error as { code?: unknown }).code ?? ''));

/** applyPlanned in a savepoint: an event PostgreSQL still refuses marks the customer instead of blocking the partition. */
async function applyGuarded(trx: Knex.Transaction, deps: ApplierDeps, planned: PlannedChange, target: LinkTarget): Promise<Applied> {
  try {
    return await trx.transaction((savepoint) => applyPlanned(savepoint, deps, planned, target));
  } catch (error) {
    if (!isUnstorable(error)) throw error;
    const code = String((error as { code?: unknown }).code);
    deps.metrics.inboundFailures.inc();
    deps.logger.error('stripe event could not be stored; customer marked for repair', { eventId: planned.winner.event.id, stripeCustomerId: planned.winner.customer.id, code });
    if (target.row) await markInboundError(trx, target.row.id, `event ${planned.winner.event.id} could not be stored (SQLSTATE ${code}); repaired by reconcile`);
    return { outcome: 'failed-to-apply', customerId: target.row?.id, detail: { sqlstate: code } };
  }
}

/**
 * Applies Stripe events to PostgreSQL in one transaction, recording every event id as processed in
 * that same transaction: a redelivered event finds its id and changes nothing.
 */
export async function applyStripeEvents(deps: ApplierDeps, events: StripeEvent[]): Promise<void> {
  const applied = await deps.db.transaction(async (trx) => {
    const done = await findProcessed(trx, events.map((e) => e.id));
    const fresh = [...new Map(events.filter((e) => !done.has(e.id)).map((e) => [e.id, e])).values()];
    if (fresh.length === 0) return [];

    const records: ProcessedEvent[] = [];
    const changes: CustomerChange[] = [];
    for (const event of fresh) {
      const foreign = foreignOutcome(event, deps);
      const change = foreign ? undefined : customerChangeOf(event);
      if (foreign) deps.metrics.foreignEvents.inc({ reason: foreign });
      if (change) changes.push(change);
      else records.push({ eventId: event.id, source: SOURCE, outcome: foreign ?? 'ignored', eventType: event.type });
    }

    const plan = planBatch(changes);
    const customers = plan.map((p) => p.winner.customer);
    const locked = await lockRowsForStripeCustomers(
      trx,
      customers.map((c) => c.id),
      customers.map(linkClaimOf).filter((id): id is string => !!id),
    );
    for (const planned of plan) {
      const { winner } = planned;
      const applied = await applyGuarded(trx, deps, planned, resolveLink(locked, winner.customer));
      const record = { source: SOURCE, customerId: applied.customerId } as const;
      records.push({ ...record, eventId: winner.event.id, outcome: applied.outcome, eventType: winner.event.type, detail: applied.detail });
      for (const other of planned.superseded) records.push({ ...record, eventId: other.event.id, outcome: 'superseded', eventType: other.event.type });
      deps.logger.debug('stripe event applied', { eventId: winner.event.id, type: winner.event.type, outcome: applied.outcome });
    }
    await recordProcessed(trx, records);
    return fresh;
  });
  const metrics = deps.registry && latencyMetrics(deps.registry);
  for (const event of applied) metrics?.stripeEventLatency.observe({ type: event.type }, Math.max(0, Date.now() / 1000 - event.created));
}
