import type { Knex } from 'knex';
import type { CustomerSyncResultPayload } from '@customer-sync/contracts';
import type { CustomerRow } from './customer-row';

/*
 * The customer-row operations both owners perform, so neither owner's data-access lib has to be
 * reachable from the other's scope: reading a row, and settling a command's outcome (db-writer for
 * the worker's results, api-service for a command its relay can never send).
 */

const TABLE = 'customers';

export async function findCustomer(
  db: Knex,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<CustomerRow | undefined> {
  const query = db<CustomerRow>(TABLE).where({ id }).first();
  return options.forUpdate ? query.forUpdate() : query;
}

/**
 * Records what the sync worker did: links the Stripe id (a create's result confirms it: no longer
 * provisional); settles the pending writes the result
 * answers (its version and older); sets the status only when no newer API write is waiting. A
 * customer deleted in Stripe (now or before) is deleted and synced: that is final.
 * Returns the row after the update, or undefined for an unknown customer.
 */
export async function applySyncResult(db: Knex, result: CustomerSyncResultPayload): Promise<CustomerRow | undefined> {
  const gone = result.outcome === 'deleted_in_stripe';
  const [row] = await db<CustomerRow>(TABLE)
    .where({ id: result.customerId })
    .update({
      // Never a Stripe id another row holds (the link rule decided that row): no unique violation, no second link.
      stripe_customer_id: db.raw(
        'coalesce(stripe_customer_id, (select ?::text where not exists (select 1 from customers o where o.stripe_customer_id = ?)))',
        [result.stripeCustomerId, result.stripeCustomerId],
      ) as never,
      // Our create's result settles the link: the claimant steps ran before it, so the id is ours (or none).
      ...(result.action === 'create' && { link_provisional: false }),
      pending_fields: (gone
        ? '{}'
        : db.raw(
            `(select coalesce(jsonb_object_agg(key, value), '{}'::jsonb) from jsonb_each(pending_fields) where (value)::int > ?)`,
            [result.version],
          )) as never,
      sync_status: db.raw(
        `case when ? or stripe_deleted_at is not null then 'synced' when version <= ? then ? else sync_status end`,
        [gone, result.version, result.outcome],
      ) as never,
      sync_error: db.raw(
        'case when ? or stripe_deleted_at is not null then null when version <= ? then ? else sync_error end',
        [gone, result.version, result.error?.message ?? null],
      ) as never,
      ...(gone && {
        deleted_at: db.raw('coalesce(deleted_at, now())') as never,
        stripe_deleted_at: db.raw('coalesce(stripe_deleted_at, now())') as never,
      }),
      updated_at: db.fn.now() as never,
    })
    .returning('*');
  return row;
}
