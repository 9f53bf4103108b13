import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { makeEnvelope, type CustomerAction, type CustomerFields, type CustomerRequestedPayload } from '@customer-sync/contracts';
import { addToOutbox, toCustomerFields, type CustomerRow, type OutboxEntry } from '@customer-sync/db';

export interface CommandTarget {
  id: string;
  version: number;
  stripeCustomerId: string | null;
  fields: CustomerFields;
}

/** The outbox entry of the command that makes Stripe match a customer's desired state. */
export function customerRequestedEntry(topic: string, action: CustomerAction, target: CommandTarget, correlationId: string, unsetMetadataKeys: string[] = []): OutboxEntry {
  const payload: CustomerRequestedPayload = {
    action,
    customerId: target.id,
    version: target.version,
    stripeCustomerId: target.stripeCustomerId,
    customer: target.fields,
    unsetMetadataKeys,
  };
  const envelope = makeEnvelope('customer.requested', payload, { id: randomUUID(), correlationId });
  return { eventId: envelope.id, topic, key: target.id, message: envelope };
}

/** Queues the command for a row just changed, in the caller's transaction. */
export async function enqueueCustomerRequested(
  trx: Knex,
  topic: string,
  action: CustomerAction,
  row: CustomerRow,
  correlationId: string,
  previous?: CustomerRow,
): Promise<void> {
  const target = { id: row.id, version: row.version, stripeCustomerId: row.stripe_customer_id, fields: toCustomerFields(row) };
  const unset = previous ? Object.keys(previous.metadata).filter((k) => !(k in row.metadata)) : [];
  await addToOutbox(trx, customerRequestedEntry(topic, action, target, correlationId, unset));
}
