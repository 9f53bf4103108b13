import { isDeepStrictEqual } from 'node:util';
import { PROFILE_FIELD_NAMES, StripeCustomerObject, type StripeCustomerSnapshot } from '@customer-sync/contracts';
import {
  findUnseenLinkedRows,
  finishRun,
  insertStripeCustomer,
  linkStripeCustomer,
  lockRowsForStripeCustomers,
  markStripeDeleted,
  saveRunProgress,
  startOrResumeRun,
  type CustomerRow,
  type Db,
  type EventStamp,
} from '@customer-sync/db';
import type { Logger } from '@customer-sync/logger';
import { linkClaimOf, snapshotOf, type Stripe } from '@customer-sync/stripe-client';
import { resolveLink } from './link-rule';
import { mergeIntoRow } from './row-merge';

export interface ReconcileStats {
  scanned: number;
  inserted: number;
  updated: number;
  deleted: number;
  unchanged: number;
}

export interface ReconcileOptions {
  db: Db;
  stripe: Stripe;
  logger: Logger;
  pageSize?: number;
  onProgress?: (stats: ReconcileStats) => void;
}

const emptyStats = (): ReconcileStats => ({ scanned: 0, inserted: 0, updated: 0, deleted: 0, unchanged: 0 });

function differs(row: CustomerRow, s: StripeCustomerSnapshot): boolean {
  return (
    row.stripe_customer_id !== s.stripeCustomerId ||
    PROFILE_FIELD_NAMES.some((f) => !isDeepStrictEqual(row[f], s[f])) ||
    JSON.stringify(Object.entries(row.metadata).sort()) !== JSON.stringify(Object.entries(s.metadata).sort())
  );
}

/** Repairs one page of Stripe customers in one transaction; the stamp is the time they were read. */
async function repairPage(db: Db, customers: StripeCustomerObject[], stamp: EventStamp, stats: ReconcileStats): Promise<void> {
  await db.transaction(async (trx) => {
    const claims = customers.map(linkClaimOf).filter((id): id is string => !!id);
    const locked = await lockRowsForStripeCustomers(trx, customers.map((c) => c.id), claims);
    for (const customer of customers) {
      const { row, duplicateOf } = resolveLink(locked, customer);
      if (row && row.stripe_customer_id === null) await linkStripeCustomer(trx, row.id, customer.id);
      if (!row) {
        await insertStripeCustomer(trx, snapshotOf(customer), stamp, { deleted: false, duplicateOf });
        stats.inserted++;
      } else if (row.deleted_at === null && (differs(row, snapshotOf(customer, row.id)) || row.inbound_error) && (row.stripe_event_created ?? 0) < stamp.created) {
        // The same field-level merge as events: fields of a pending API write stay ours.
        await mergeIntoRow(trx, row, customer, stamp, { deleted: false, ownWrite: false });
        stats.updated++;
      } else {
        stats.unchanged++;
      }
    }
  });
}

/**
 * Walks every Stripe customer (auto-pagination) and repairs the database: missing rows inserted,
 * stale rows updated, rows whose Stripe customer is gone marked deleted. Progress is saved per page,
 * so an interrupted run resumes where it stopped. A second run in a row changes nothing.
 */
export async function reconcile(options: ReconcileOptions): Promise<ReconcileStats> {
  const { db, stripe, logger } = options;
  const { run, resumed } = await startOrResumeRun(db);
  const stats = { ...emptyStats(), ...run.stats };
  logger.info(resumed ? 'reconcile resumed' : 'reconcile started', { runId: run.id, cursor: run.cursor });
  const stamp: EventStamp = { created: Math.floor(Date.now() / 1000), eventId: `reconcile:${run.id}` };

  let page: StripeCustomerObject[] = [];
  const flush = async () => {
    if (page.length === 0) return;
    await repairPage(db, page, stamp, stats);
    stats.scanned += page.length;
    await saveRunProgress(db, run.id, page.at(-1)!.id, page.map((c) => c.id), stats);
    options.onProgress?.(stats);
    page = [];
  };
  const pageSize = options.pageSize ?? 100;
  for await (const customer of stripe.customers.list({ limit: pageSize, ...(run.cursor && { starting_after: run.cursor }) })) {
    page.push(StripeCustomerObject.parse(customer));
    if (page.length === pageSize) await flush();
  }
  await flush();

  const orphans = await findUnseenLinkedRows(db, run.id, run.startedAt);
  await db.transaction(async (trx) => {
    for (const orphan of orphans) await markStripeDeleted(trx, orphan.id, stamp);
  });
  stats.deleted += orphans.length;
  await finishRun(db, run.id, stats);
  logger.info('reconcile finished', { runId: run.id, ...stats });
  return stats;
}
