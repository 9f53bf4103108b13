import { randomUUID } from 'node:crypto';
import { pendingKeysOf, type Customer } from '@customer-sync/contracts';
import { addToOutbox, notifyOutbox, updateApiCustomer } from '@customer-sync/customer-api-data';
import { findCustomer, toCustomer, toCustomerFields, type Db } from '@customer-sync/db';
import { NotFoundError } from '@customer-sync/service-core';
import { allChanges, commandTarget, customerRequestedEntry, queueDeletion } from './customer-commands';

/**
 * Queues a full push of one customer to Stripe: the row waits for Stripe again at a new version and
 * one command carrying every field and metadata key goes through the outbox (a create when Stripe
 * never got the customer, a delete for a deleted one). Relays are woken by NOTIFY.
 */
export async function resyncCustomer(
  db: Db,
  requestedTopic: string,
  id: string,
  correlationId = `resync:${randomUUID()}`,
): Promise<Customer> {
  const row = await db.transaction(async (trx) => {
    const current = await findCustomer(trx, id, { forUpdate: true });
    if (!current) throw new NotFoundError('customer');
    if (current.deleted_at) {
      return queueDeletion(trx, requestedTopic, id, correlationId);
    }
    const fields = toCustomerFields(current);
    const changes = allChanges(fields);
    const next = await updateApiCustomer(trx, id, fields, pendingKeysOf(changes), { claimEmail: false });
    const target = next.stripe_customer_id
      ? await commandTarget(trx, next)
      : { id, version: next.version, stripeCustomerId: null };
    await addToOutbox(
      trx,
      customerRequestedEntry(
        requestedTopic,
        next.stripe_customer_id ? 'update' : 'create',
        target,
        changes,
        correlationId,
      ),
    );
    return next;
  });
  await notifyOutbox(db);
  return toCustomer(row);
}
