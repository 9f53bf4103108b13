import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { StripeCustomerObject, type StripeEvent } from '@customer-sync/contracts';
import {
  findProcessed,
  lockRowsForStripeCustomers,
  markInboundError,
  markInboundErrorOfStripeCustomer,
  recordProcessed,
  writeStripeRows,
  type ProcessedEvent,
  type StripeRowWrite,
} from '@customer-sync/customer-writer-data';
import type { Db } from '@customer-sync/db';
import { PermanentError } from '@customer-sync/service-core';
import type { Logger } from '@customer-sync/logger';
import type { Registry } from 'prom-client';
import { linkClaimOf, snapshotOf, type Stripe } from '@customer-sync/stripe-client';
import { planBatch, type PlannedChange } from './batch-plan';
import { customerChangeOf, type CustomerChange } from './customer-event-types';
import { changedKeysOf } from './field-merge';
import { isProvisionalClaimOf, releaseDeletedClaimant } from './create-relink';
import { resolveLink, type LinkTarget } from './link-rule';
import { latencyMetrics } from './latency-metrics';
import { decide } from './ordering-rule';
import { rowWriteOf } from './row-merge';
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
const isOwnWrite = (event: StripeEvent) =>
  ((event as EventWithRequest).request?.idempotency_key ?? '').startsWith(OWN_KEY_PREFIX);

/** Stripe's current object; a customer Stripe no longer knows counts as deleted. */
export async function fetchTruth(stripe: Stripe, customerId: string): Promise<StripeCustomerObject> {
  try {
    return StripeCustomerObject.parse(await stripe.customers.retrieve(customerId));
  } catch (error) {
    if ((error as { code?: string }).code === 'resource_missing')
      return { id: customerId, object: 'customer', deleted: true };
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

/** What one customer of the batch comes to: its outcome, the row write (if any), and what to count once the batch commits. */
interface Decided extends Applied {
  planned: PlannedChange;
  target: LinkTarget;
  write?: StripeRowWrite;
  after?: (deps: ApplierDeps) => void;
}

/**
 * The ordering rule, the link rule and the field-level merge for one customer of the batch, in
 * code: the row write they come to, not yet made (writeStripeRows makes them all at once).
 */
async function decidePlanned(deps: ApplierDeps, planned: PlannedChange, target: LinkTarget): Promise<Decided> {
  const { winner, tiedInBatch } = planned;
  const { row } = target;
  const stamp = { created: winner.event.created, eventId: winner.event.id };
  // A claim linked an in-flight create: the link holds whatever the ordering rule decides below.
  const link: StripeRowWrite | undefined =
    row && row.stripe_customer_id === null
      ? { kind: 'link', rowId: row.id, stripeCustomerId: winner.customer.id }
      : undefined;
  const decision = decide(row && { created: row.stripe_event_created, deleted: row.deleted_at !== null }, {
    created: winner.event.created,
    deleted: winner.deleted,
    tiedInBatch,
  });
  if (decision === 'stale' || decision === 'ignore-deleted')
    return { planned, target, write: link, outcome: decision, customerId: row?.id };
  let change: CustomerChange = winner;
  if (decision === 'tie') {
    const truth = await fetchTruth(deps.stripe, winner.customer.id);
    change = { event: winner.event, customer: truth, deleted: truth.deleted === true };
  }
  const applied = decision === 'tie' ? 'applied-from-stripe' : 'applied';
  if (!row) {
    const id = randomUUID();
    const write: StripeRowWrite = {
      kind: 'insert',
      rowId: id,
      snapshot: snapshotOf(change.customer),
      stamp,
      deleted: change.deleted,
      duplicateOf: target.duplicateOf,
    };
    if (!target.duplicateOf) return { planned, target, write, outcome: applied, customerId: id };
    const after = (d: ApplierDeps) => {
      d.metrics.duplicates.inc();
      d.logger.warn('a second Stripe customer claims a linked row; stored as its own row', {
        stripeCustomerId: change.customer.id,
        rowId: id,
        duplicateOf: target.duplicateOf,
      });
    };
    return {
      planned,
      target,
      write,
      after,
      outcome: 'duplicate',
      customerId: id,
      detail: { duplicateOf: target.duplicateOf },
    };
  }
  const all = [winner, ...planned.superseded];
  const { write, conflicts } = rowWriteOf(row, change.customer, stamp, {
    deleted: change.deleted,
    changed: decision === 'tie' ? undefined : changedByOthers(all, row.stripe_event_created),
    ownWrite: decision !== 'tie' && all.every((c) => isOwnWrite(c.event)),
  });
  if (conflicts.length === 0) return { planned, target, write, outcome: applied, customerId: row.id };
  const detail = { fields: conflicts, resolution: 'refetch from Stripe once the pending write settles' };
  return {
    planned,
    target,
    write,
    after: (d) => d.metrics.conflicts.inc(conflicts.length),
    outcome: 'conflict',
    customerId: row.id,
    detail,
  };
}

/** A claimant deleted while its link is provisional lets go of the row (releaseDeletedClaimant); its own row is a duplicate. */
async function releasedClaim(
  trx: Knex.Transaction,
  planned: PlannedChange,
  target: LinkTarget,
): Promise<Decided | undefined> {
  const { winner } = planned;
  if (!target.row || !winner.deleted || !isProvisionalClaimOf(target.row, winner.customer)) return undefined;
  const id = await releaseDeletedClaimant(trx, target.row, winner.customer, {
    created: winner.event.created,
    eventId: winner.event.id,
  });
  const after = (d: ApplierDeps) =>
    d.logger.warn('a claimant deleted while its link was provisional; stored as its own row', {
      stripeCustomerId: winner.customer.id,
      rowId: id,
      duplicateOf: target.row?.id,
    });
  return { planned, target: {}, after, outcome: 'duplicate', customerId: id, detail: { duplicateOf: target.row.id } };
}

/** PostgreSQL refused the data itself (SQLSTATE class 22 data exception, 23 integrity): retrying cannot help. */
const isUnstorable = (error: unknown) => /^2[23]/.test(String((error as { code?: unknown }).code ?? ''));

/** The batch's one set-based write failed on data PostgreSQL refuses: the batch is applied again, row by row. */
class BatchRefused extends Error {}

/** Each write in a savepoint: one PostgreSQL still refuses marks its customer instead of blocking the partition. */
async function writeRowByRow(trx: Knex.Transaction, deps: ApplierDeps, decided: Decided[]): Promise<Decided[]> {
  const results: Decided[] = [];
  for (const d of decided) {
    try {
      if (d.write) await trx.transaction((savepoint) => writeStripeRows(savepoint, [d.write!]));
      results.push(d);
    } catch (error) {
      if (!isUnstorable(error)) throw error;
      const code = String((error as { code?: unknown }).code);
      const { winner } = d.planned;
      const after = (m: ApplierDeps) => {
        m.metrics.inboundFailures.inc();
        m.logger.error('stripe event could not be stored; customer marked for repair', {
          eventId: winner.event.id,
          stripeCustomerId: winner.customer.id,
          code,
        });
      };
      const { row } = d.target;
      if (row)
        await markInboundError(
          trx,
          row.id,
          `event ${winner.event.id} could not be stored (SQLSTATE ${code}); repaired by reconcile`,
        );
      results.push({ ...d, after, outcome: 'failed-to-apply', customerId: row?.id, detail: { sqlstate: code } });
    }
  }
  return results;
}

const UNREADABLE_MARKED = Symbol('unreadable event, customer marked');

/**
 * The event's customer change. An event whose customer object the inward schema still refuses is
 * dead-lettered (PermanentError) unless its object names a customer we hold: then that row is marked
 * (`inboundError`), the event is recorded `failed-to-apply`, and refetch or reconcile repairs the row
 * from Stripe, so it is never lost silently (counted in stripe_events_unstorable_total once the
 * batch commits).
 */
async function changeOrMark(
  trx: Knex.Transaction,
  event: StripeEvent,
): Promise<CustomerChange | undefined | typeof UNREADABLE_MARKED> {
  try {
    return customerChangeOf(event);
  } catch (error) {
    const stripeId = event.data.object.id;
    if (!(error instanceof PermanentError) || typeof stripeId !== 'string' || !stripeId.startsWith('cus_')) throw error;
    const rowId = await markInboundErrorOfStripeCustomer(
      trx,
      stripeId,
      `event ${event.id} could not be read (${error.message}); repaired by reconcile`,
    );
    if (!rowId) throw error;
    return UNREADABLE_MARKED;
  }
}

/** The processed_events records of the batch's customers: each winner's outcome, `superseded` for the others. */
function recordsOf(decided: Decided[]): ProcessedEvent[] {
  const records: ProcessedEvent[] = [];
  for (const { planned, customerId, outcome, detail } of decided) {
    const { winner } = planned;
    records.push({
      source: SOURCE,
      customerId,
      eventId: winner.event.id,
      outcome,
      eventType: winner.event.type,
      detail,
    });
    for (const other of planned.superseded)
      records.push({
        source: SOURCE,
        customerId,
        eventId: other.event.id,
        outcome: 'superseded',
        eventType: other.event.type,
      });
  }
  return records;
}

/**
 * One attempt at the batch, in one transaction and a fixed number of round trips whatever its
 * size: the processed ids, the rows locked, one set-based write of every row, the processed
 * records. `rowByRow` writes each row in its own savepoint instead (after BatchRefused).
 */
async function applyBatch(
  deps: ApplierDeps,
  events: StripeEvent[],
  rowByRow: boolean,
): Promise<{ fresh: StripeEvent[]; decided: Decided[]; unreadable: StripeEvent[] }> {
  return deps.db.transaction(async (trx) => {
    const done = await findProcessed(
      trx,
      events.map((e) => e.id),
    );
    const fresh = [...new Map(events.filter((e) => !done.has(e.id)).map((e) => [e.id, e])).values()];
    if (fresh.length === 0) return { fresh, decided: [], unreadable: [] };

    const records: ProcessedEvent[] = [];
    const changes: CustomerChange[] = [];
    const unreadable: StripeEvent[] = [];
    for (const event of fresh) {
      const foreign = foreignOutcome(event, deps);
      const change = foreign ? undefined : await changeOrMark(trx, event);
      if (change === UNREADABLE_MARKED) {
        unreadable.push(event);
        records.push({
          eventId: event.id,
          source: SOURCE,
          outcome: 'failed-to-apply',
          eventType: event.type,
          detail: { reason: 'unreadable customer object' },
        });
      } else if (change) changes.push(change);
      else records.push({ eventId: event.id, source: SOURCE, outcome: foreign ?? 'ignored', eventType: event.type });
    }

    const plan = planBatch(changes);
    const customers = plan.map((p) => p.winner.customer);
    const locked = await lockRowsForStripeCustomers(
      trx,
      customers.map((c) => c.id),
      customers.map(linkClaimOf).filter((id): id is string => !!id),
    );
    let decided: Decided[] = [];
    for (const planned of plan) {
      const target = resolveLink(locked, planned.winner.customer);
      decided.push((await releasedClaim(trx, planned, target)) ?? (await decidePlanned(deps, planned, target)));
    }
    if (rowByRow) decided = await writeRowByRow(trx, deps, decided);
    else {
      try {
        await writeStripeRows(
          trx,
          decided.flatMap((d) => (d.write ? [d.write] : [])),
        );
      } catch (error) {
        throw isUnstorable(error) ? new BatchRefused('the batch write was refused', { cause: error }) : error;
      }
    }
    await recordProcessed(trx, [...records, ...recordsOf(decided)]);
    return { fresh, decided, unreadable };
  });
}

/**
 * Applies Stripe events to PostgreSQL in one transaction, recording every event id as processed in
 * that same transaction: a redelivered event finds its id and changes nothing. The batch's rows are
 * written in one statement; when PostgreSQL refuses the data of one of them, the batch is applied
 * again row by row, so only that customer is marked (`failed-to-apply`) and the rest are stored.
 */
export async function applyStripeEvents(deps: ApplierDeps, events: StripeEvent[]): Promise<void> {
  let result: Awaited<ReturnType<typeof applyBatch>>;
  try {
    result = await applyBatch(deps, events, false);
  } catch (error) {
    if (!(error instanceof BatchRefused)) throw error;
    result = await applyBatch(deps, events, true);
  }
  // Counted and logged only once the batch committed, so a batch applied twice counts once.
  for (const event of result.fresh) {
    const foreign = foreignOutcome(event, deps);
    if (foreign) deps.metrics.foreignEvents.inc({ reason: foreign });
  }
  for (const d of result.decided) d.after?.(deps);
  for (const event of result.unreadable) {
    deps.metrics.inboundFailures.inc();
    deps.logger.error('stripe event could not be read; customer marked for repair', {
      eventId: event.id,
      stripeCustomerId: event.data.object.id,
    });
  }
  // Winston builds and formats an entry even below its level: the per-event lines only when asked for.
  if (deps.logger.isDebugEnabled()) {
    for (const d of result.decided)
      deps.logger.debug('stripe event applied', {
        eventId: d.planned.winner.event.id,
        type: d.planned.winner.event.type,
        outcome: d.outcome,
      });
  }
  const metrics = deps.registry && latencyMetrics(deps.registry);
  for (const event of result.fresh)
    metrics?.stripeEventLatency.observe({ type: event.type }, Math.max(0, Date.now() / 1000 - event.created));
}
