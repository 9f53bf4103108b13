import { parseEnvelope, StripeEvent, StripeEventReceived } from '@customer-sync/contracts';
import { routingKeyOf, stripeEventMessage } from './stripe-event-message';

const event = StripeEvent.parse({
  id: 'evt_1',
  object: 'event',
  type: 'customer.updated',
  created: 1786958045,
  api_version: '2026-07-29.dahlia',
  livemode: false,
  data: { object: { id: 'cus_1', object: 'customer' } },
});

describe('routingKeyOf', () => {
  it('keys customer events by the customer id', () => {
    expect(routingKeyOf(event)).toBe('cus_1');
  });

  it('keys objects that belong to a customer by that customer', () => {
    expect(routingKeyOf({ ...event, data: { object: { id: 'in_1', object: 'invoice', customer: 'cus_9' } } })).toBe(
      'cus_9',
    );
  });
});

describe('stripeEventMessage', () => {
  it('wraps the raw body in a valid envelope without re-serialising it', () => {
    const raw = JSON.stringify(event, null, 2);
    const message = stripeEventMessage(event, raw);
    expect(String(message.value)).toContain(raw);
    const envelope = parseEnvelope(StripeEventReceived, message.value as string);
    expect(envelope.payload.event).toEqual(event);
    expect(message.headers).toMatchObject({
      'stripe-event-id': 'evt_1',
      'stripe-event-type': 'customer.updated',
      'stripe-event-created': '1786958045',
    });
  });
});
