import { randomUUID } from 'node:crypto';
import { SCHEMA_VERSION, StripeEventHeaders, type StripeEventHead } from '@customer-sync/contracts';
import type { OutgoingMessage } from '@customer-sync/kafka';

/**
 * Partition key: the customer the event is about — `data.object.customer` for objects that belong
 * to a customer, the object's own id for customers — so one customer's events stay in order.
 */
export function routingKeyOf(event: StripeEventHead): string {
  const object = event.data.object;
  if (typeof object.customer === 'string') return object.customer;
  return object.id ?? event.id;
}

/**
 * The stripe.events message: our envelope around the verified body, spliced in as it came
 * (it is valid JSON: it just parsed), so the hot path never re-serialises the event.
 */
export function stripeEventMessage(event: StripeEventHead, rawBody: string): OutgoingMessage {
  const header = JSON.stringify({
    id: randomUUID(),
    type: 'stripe.event-received',
    schemaVersion: SCHEMA_VERSION,
    occurredAt: new Date().toISOString(),
    correlationId: event.id,
  });
  return {
    key: routingKeyOf(event),
    value: `${header.slice(0, -1)},"payload":{"event":${rawBody}}}`,
    headers: {
      [StripeEventHeaders.eventId]: event.id,
      [StripeEventHeaders.eventType]: event.type,
      [StripeEventHeaders.created]: String(event.created),
      [StripeEventHeaders.apiVersion]: event.api_version ?? '',
    },
  };
}
