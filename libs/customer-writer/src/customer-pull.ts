import { randomUUID } from 'node:crypto';
import { LINK_METADATA_KEY, StripeCustomerObject, type Customer } from '@customer-sync/contracts';
import { applyStripeState, markStripeDeleted, markSyncedWithStripe } from '@customer-sync/customer-writer-data';
import { findCustomer, toCustomer, type Db } from '@customer-sync/db';
import { snapshotOf, type Stripe } from '@customer-sync/stripe-client';

/** A pull that cannot happen: no such row, or no Stripe customer for it. */
export class PullError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PullError';
  }
}

async function stripeCustomerOf(
  stripe: Stripe,
  id: string,
  linked: string | null,
): Promise<StripeCustomerObject | undefined> {
  if (linked) {
    try {
      return StripeCustomerObject.parse(await stripe.customers.retrieve(linked));
    } catch (error) {
      if ((error as { code?: string }).code === 'resource_missing')
        return { id: linked, object: 'customer', deleted: true };
      throw error;
    }
  }
  const found = await stripe.customers.search({ query: `metadata['${LINK_METADATA_KEY}']:'${id}'`, limit: 1 });
  return found.data[0] && StripeCustomerObject.parse(found.data[0]);
}

/**
 * Makes one row hold what Stripe holds now (Stripe wins): its fields, or its deletion, stamped with
 * the time of the read so older events that arrive later do not undo it. The row is then synced.
 */
export async function pullCustomerFromStripe(deps: { db: Db; stripe: Stripe }, id: string): Promise<Customer> {
  const current = await findCustomer(deps.db, id);
  if (!current) throw new PullError(`no customer ${id}`);
  const customer = await stripeCustomerOf(deps.stripe, id, current.stripe_customer_id);
  if (!customer)
    throw new PullError(`customer ${id} has no Stripe customer (none linked, none with metadata.customer_sync_id)`);
  const stamp = { created: Math.floor(Date.now() / 1000), eventId: `pull:${randomUUID()}` };
  const row = await deps.db.transaction(async (trx) => {
    await findCustomer(trx, id, { forUpdate: true });
    if (customer.deleted) await markStripeDeleted(trx, id, stamp);
    else {
      const { stripeCustomerId: _id, ...state } = snapshotOf(customer, id);
      await applyStripeState(trx, id, customer.id, state, stamp, { conflict: false });
    }
    await markSyncedWithStripe(trx, id, customer.id);
    return findCustomer(trx, id);
  });
  return toCustomer(row!);
}
