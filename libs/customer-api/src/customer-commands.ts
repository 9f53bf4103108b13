import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { makeEnvelope, type CustomerAction, type CustomerRequestedPayload } from '@customer-sync/contracts';
import { addToOutbox, toCustomerFields, type CustomerRow } from '@customer-sync/db';

/** Queues the command that makes Stripe match this row, in the caller's transaction. */
export async function enqueueCustomerRequested(
  trx: Knex.Transaction,
  topic: string,
  action: CustomerAction,
  row: CustomerRow,
  correlationId: string,
  previous?: CustomerRow,
): Promise<void> {
  const payload: CustomerRequestedPayload = {
    action,
    customerId: row.id,
    version: row.version,
    stripeCustomerId: row.stripe_customer_id,
    customer: toCustomerFields(row),
    unsetMetadataKeys: previous ? Object.keys(previous.metadata).filter((k) => !(k in row.metadata)) : [],
  };
  const envelope = makeEnvelope('customer.requested', payload, { id: randomUUID(), correlationId });
  await addToOutbox(trx, { eventId: envelope.id, topic, key: row.id, message: envelope });
}
