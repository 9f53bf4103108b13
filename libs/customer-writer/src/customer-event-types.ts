import { StripeCustomerObject, type StripeEvent } from '@customer-sync/contracts';
import { PermanentError } from '@customer-sync/service-core';

/** How each handled event type changes a customer; other types are acknowledged and ignored. */
const CUSTOMER_EVENT_KINDS: Record<string, 'upsert' | 'delete'> = {
  'customer.created': 'upsert',
  'customer.updated': 'upsert',
  'customer.deleted': 'delete',
};

/** The Stripe event types db-writer acts on: exactly what a webhook endpoint must be subscribed to. */
export const HANDLED_EVENT_TYPES: readonly string[] = Object.keys(CUSTOMER_EVENT_KINDS);

export interface CustomerChange {
  event: StripeEvent;
  customer: StripeCustomerObject;
  deleted: boolean;
}

/** The customer change an event carries, or undefined for event types the system does not act on. */
export function customerChangeOf(event: StripeEvent): CustomerChange | undefined {
  const kind = CUSTOMER_EVENT_KINDS[event.type];
  if (!kind) return undefined;
  const parsed = StripeCustomerObject.safeParse(event.data.object);
  if (!parsed.success)
    throw new PermanentError(`${event.type} ${event.id} does not carry a customer: ${parsed.error.issues[0]?.message}`);
  const customer = parsed.data;
  return { event, customer, deleted: kind === 'delete' || customer.deleted === true };
}

/** A deletion stub ({id, object, deleted}) carries no fields to store. */
export const isStub = (customer: StripeCustomerObject) => customer.deleted === true && customer.created === undefined;
