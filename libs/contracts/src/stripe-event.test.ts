import { StripeCustomerObject, StripeEvent, StripeEventHead, StripeEventReceived } from './stripe-event';

const event = {
  id: 'evt_1',
  object: 'event',
  type: 'customer.updated',
  created: 1786958045,
  api_version: '2026-07-29.dahlia',
  livemode: false,
  data: {
    object: { id: 'cus_1', object: 'customer', name: 'Jenny', metadata: { a: '1' } },
    previous_attributes: { name: 'J' },
  },
  request: { id: null, idempotency_key: null },
};
const long = 'x'.repeat(256);
const withData = (data: unknown) => ({ ...event, data });

describe('StripeEventHead', () => {
  test.each([
    ['a customer event', event],
    ['an invoice owned by a customer', withData({ object: { id: 'in_1', object: 'invoice', customer: 'cus_9' } })],
    ['no api_version', { ...event, api_version: undefined }],
    ['a null api_version', { ...event, api_version: null }],
    ['an object without id', withData({ object: { object: 'balance' } })],
    ['not an event id', { ...event, id: 'ch_1' }],
    ['an id over 255 characters', { ...event, id: `evt_${long}` }],
    ['an object id over 255 characters', withData({ object: { id: long, object: 'customer' } })],
    ['another object', { ...event, object: 'customer' }],
    ['an empty type', { ...event, type: '' }],
    ['a fractional created', { ...event, created: 1.5 }],
    ['no livemode', { ...event, livemode: undefined }],
    ['no data', { ...event, data: undefined }],
    ['an object without its kind', withData({ object: { id: 'cus_1' } })],
    [
      'previous_attributes that is not an object',
      withData({ object: event.data.object, previous_attributes: ['name'] }),
    ],
    ['not an object', 'evt_1'],
  ])('accepts and refuses as StripeEvent does: %s', (_, input) => {
    expect(StripeEventHead.safeParse(input).success).toBe(StripeEvent.safeParse(input).success);
  });

  it('keeps what routing reads and leaves the rest of the object out', () => {
    const head = StripeEventHead.parse(
      withData({ object: { id: 'in_1', object: 'invoice', customer: 'cus_9', lines: [1, 2] } }),
    );
    expect(head.data.object).toEqual({ id: 'in_1', object: 'invoice', customer: 'cus_9' });
  });
});

describe('StripeEventReceived', () => {
  const envelope = (payloadEvent: unknown) => ({
    id: 'e1',
    type: 'stripe.event-received',
    schemaVersion: 1,
    occurredAt: '2026-11-30T00:00:00.000Z',
    correlationId: 'evt_1',
    payload: { event: payloadEvent },
  });

  it('hands on the event as received, not a copy', () => {
    const input = envelope(event);
    expect(StripeEventReceived.parse(input).payload.event).toBe(input.payload.event);
  });

  it('refuses what StripeEvent refuses, saying where', () => {
    const result = StripeEventReceived.safeParse(envelope({ ...event, id: 'ch_1' }));
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['payload.event.id']);
  });
});

describe('StripeCustomerObject, inward: Stripe’s object is taken whatever its request limits say', () => {
  const base = { id: 'cus_1', object: 'customer' };
  it.each([
    ['a metadata value of 600 characters', { metadata: { k: 'v'.repeat(600) } }],
    ['60 metadata keys', { metadata: Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`k${i}`, 'v'])) }],
    ['a metadata key of 60 characters', { metadata: { ['k'.repeat(60)]: 'v' } }],
    ['a metadata key with [ ]', { metadata: { 'a[b]': 'v' } }],
    ['an empty metadata key', { metadata: { '': 'v' } }],
    [
      'a name past 256, an email past 512, a phone past 20 without a digit',
      { name: 'n'.repeat(300), email: 'e'.repeat(600), phone: '.'.repeat(30) },
    ],
    ['a description past 5000', { description: 'd'.repeat(6000) }],
    [
      'address, shipping and locales past 5000, an unknown tax exemption',
      {
        address: { city: 'c'.repeat(6000) },
        shipping: { name: 'n'.repeat(6000), address: {} },
        preferred_locales: ['l'.repeat(6000)],
        tax_exempt: 'other',
      },
    ],
  ])('accepts %s', (_name, fields) => {
    expect(StripeCustomerObject.safeParse({ ...base, ...fields }).success).toBe(true);
  });

  it('keeps the metadata as sent, a __proto__ key included', () => {
    const parsed = StripeCustomerObject.parse(
      JSON.parse('{"id":"cus_1","object":"customer","metadata":{"__proto__":"x","a[b]":"v"}}'),
    );
    expect(Object.keys(parsed.metadata ?? {}).sort()).toEqual(['__proto__', 'a[b]']);
  });

  it('still refuses metadata that is not a map of strings', () => {
    expect(StripeCustomerObject.safeParse({ ...base, metadata: { k: 7 } }).success).toBe(false);
  });
});

describe('StripeEventHead, the ingress check', () => {
  it('accepts a customer event whose metadata passes Stripe’s request limits (the ingress never reads metadata)', () => {
    const metadata = { ['k'.repeat(60)]: 'v'.repeat(600), 'a[b]': 'v' };
    const customerEvent = { ...event, data: { object: { id: 'cus_1', object: 'customer', metadata } } };
    expect(StripeEventHead.safeParse(customerEvent).success).toBe(true);
  });
});
