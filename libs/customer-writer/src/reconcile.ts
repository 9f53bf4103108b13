import type { Knex } from 'knex';
import { isDeepStrictEqual } from 'node:util';
import { PROFILE_FIELD_NAMES, StripeCustomerObject, type StripeCustomerSnapshot } from '@customer-sync/contracts';
import {
  findLinkedLiveRows,
  findUnseenLinkedRows,
  finishRun,
  insertStripeCustomer,
  linkStripeCustomer,
  lockRowsForStripeCustomers,
  markStripeDeleted,
  saveRunProgress,
  startOrResumeRun,
  type EventStamp,
} from '@customer-sync/customer-writer-data';
import type { CustomerRow, Db } from '@customer-sync/db';
import type { Logger } from '@customer-sync/logger';
import { linkClaimOf, snapshotOf, type Stripe } from '@customer-sync/stripe-client';
import { resolveLink } from './link-rule';
import type { ReconcileMetrics } from './reconcile-metrics';
import { mergeIntoRow } from './row-merge';

export interface ReconcileStats {
  scanned: number;
  inserted: number;
  updated: number;
  deleted: number;
  unchanged: number;
}

/** One difference found: a Stripe customer with no row, a row older than Stripe, a row whose Stripe customer is gone. */
export interface Drift {
  kind: 'inserted' | 'updated' | 'deleted';
  stripeCustomerId: string;
  /** Our row, when there is one. */
  customerId: string | null;
}

export interface ReconcileOptions {
  db: Db;
  stripe: Stripe;
  logger: Logger;
  pageSize?: number;
  onProgress?: (stats: ReconcileStats) => void;
  /** Finds the drift without repairing it (no run is recorded either). */
  dryRun?: boolean;
  /** The differences found are reported here (also in a dry run). */
  onDrift?: (drift: Drift) => void;
  metrics?: ReconcileMetrics;
}

const emptyStats = (): ReconcileStats => ({ scanned: 0, inserted: 0, updated: 0, deleted: 0, unchanged: 0 });

/** Differences found, whether or not they were repaired. */
export const driftCount = (s: ReconcileStats) => s.inserted + s.updated + s.deleted;

function differs(row: CustomerRow, s: StripeCustomerSnapshot): boolean {
  return (
    row.stripe_customer_id !== s.stripeCustomerId ||
    PROFILE_FIELD_NAMES.some((f) => !isDeepStrictEqual(row[f], s[f])) ||
    JSON.stringify(Object.entries(row.metadata).sort()) !== JSON.stringify(Object.entries(s.metadata).sort())
  );
}

interface PageContext {
  stamp: EventStamp;
  stats: ReconcileStats;
  options: ReconcileOptions;
}

/** Compares one page of Stripe customers with their rows and repairs them (unless dry) in one transaction. */
async function repairPage(
  trx: Knex.Transaction,
  customers: StripeCustomerObject[],
  { stamp, stats, options }: PageContext,
): Promise<void> {
  const dry = !!options.dryRun;
  const claims = customers.map(linkClaimOf).filter((id): id is string => !!id);
  const locked = await lockRowsForStripeCustomers(
    trx,
    customers.map((c) => c.id),
    claims,
  );
  for (const customer of customers) {
    const { row, duplicateOf } = resolveLink(locked, customer);
    if (!dry && row && row.stripe_customer_id === null) await linkStripeCustomer(trx, row.id, customer.id);
    if (!row) {
      if (!dry) await insertStripeCustomer(trx, snapshotOf(customer), stamp, { deleted: false, duplicateOf });
      stats.inserted++;
      options.onDrift?.({ kind: 'inserted', stripeCustomerId: customer.id, customerId: null });
    } else if (
      row.deleted_at === null &&
      (differs(row, snapshotOf(customer, row.id)) || row.inbound_error) &&
      (row.stripe_event_created ?? 0) < stamp.created
    ) {
      // The same field-level merge as events: fields of a pending API write stay ours.
      if (!dry) await mergeIntoRow(trx, row, customer, stamp, { deleted: false, ownWrite: false });
      stats.updated++;
      options.onDrift?.({ kind: 'updated', stripeCustomerId: customer.id, customerId: row.id });
    } else {
      stats.unchanged++;
    }
  }
}

/** Rows linked to a Stripe customer the walk never saw: gone from Stripe. */
async function findOrphans(db: Db, runId: number | undefined, startedAt: Date, seen: Set<string>) {
  if (runId !== undefined) return findUnseenLinkedRows(db, runId, startedAt);
  return (await findLinkedLiveRows(db, startedAt)).filter((r) => !seen.has(r.stripe_customer_id));
}

/**
 * Walks every Stripe customer (auto-pagination) and repairs the database: missing rows inserted,
 * stale rows updated, rows whose Stripe customer is gone marked deleted. Progress is saved per page,
 * so an interrupted run resumes where it stopped. A second run in a row changes nothing. A dry run
 * finds the same differences and writes nothing.
 */
export async function reconcile(options: ReconcileOptions): Promise<ReconcileStats> {
  try {
    const stats = await walk(options);
    options.metrics?.runs.inc({ outcome: driftCount(stats) > 0 ? 'repaired' : 'in_sync' });
    options.metrics?.lastSuccess.setToCurrentTime();
    return stats;
  } catch (error) {
    options.metrics?.runs.inc({ outcome: 'failed' });
    throw error;
  }
}

async function walk(options: ReconcileOptions): Promise<ReconcileStats> {
  const { db, stripe, logger, dryRun } = options;
  const { run, resumed } = dryRun
    ? { run: { id: undefined, startedAt: new Date(), cursor: null, stats: {} }, resumed: false }
    : await startOrResumeRun(db);
  const stats = { ...emptyStats(), ...run.stats };
  logger.info(resumed ? 'reconcile resumed' : 'reconcile started', {
    runId: run.id,
    cursor: run.cursor,
    dryRun: !!dryRun,
  });
  const stamp: EventStamp = { created: Math.floor(Date.now() / 1000), eventId: `reconcile:${run.id ?? 'dry-run'}` };
  const seen = new Set<string>();

  let page: StripeCustomerObject[] = [];
  const flush = async () => {
    if (page.length === 0) return;
    await db.transaction((trx) => repairPage(trx, page, { stamp, stats, options }));
    stats.scanned += page.length;
    if (run.id === undefined) for (const c of page) seen.add(c.id);
    else
      await saveRunProgress(
        db,
        run.id,
        page.at(-1)!.id,
        page.map((c) => c.id),
        stats,
      );
    options.onProgress?.(stats);
    page = [];
  };
  const pageSize = options.pageSize ?? 100;
  for await (const customer of stripe.customers.list({
    limit: pageSize,
    ...(run.cursor && { starting_after: run.cursor }),
  })) {
    page.push(StripeCustomerObject.parse(customer));
    if (page.length === pageSize) await flush();
  }
  await flush();

  const orphans = await findOrphans(db, run.id, run.startedAt, seen);
  if (!dryRun) {
    await db.transaction(async (trx) => {
      for (const orphan of orphans) await markStripeDeleted(trx, orphan.id, stamp);
    });
  }
  for (const orphan of orphans)
    options.onDrift?.({ kind: 'deleted', stripeCustomerId: orphan.stripe_customer_id, customerId: orphan.id });
  stats.deleted += orphans.length;
  if (run.id !== undefined) await finishRun(db, run.id, stats);
  if (!dryRun)
    for (const kind of ['inserted', 'updated', 'deleted'] as const) options.metrics?.changes.inc({ kind }, stats[kind]);
  logger.info('reconcile finished', { runId: run.id, dryRun: !!dryRun, ...stats });
  return stats;
}
