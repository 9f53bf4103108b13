import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES_DIR } from '@customer-sync/testing';
import { StripeEvent } from '@customer-sync/contracts';
import { PermanentError } from '@customer-sync/service-core';
import { customerChangeOf, isStub } from './customer-event-types';

const fixtures = FIXTURES_DIR;
const read = (name: string) => JSON.parse(readFileSync(join(fixtures, name), 'utf8'));
const recordedEvent = read('event.customer.created.json');
const eventWith = (type: string, object: unknown) => StripeEvent.parse({ ...recordedEvent, type, data: { object } });

describe('customerChangeOf, over the recorded Stripe payloads', () => {
  it.each([
    ['event.customer.created.json as delivered', StripeEvent.parse(recordedEvent), { deleted: false, stub: false }],
    [
      'customer.updated carrying customer.json',
      eventWith('customer.updated', read('customer.json')),
      { deleted: false, stub: false },
    ],
    [
      'customer.deleted carrying the last snapshot',
      eventWith('customer.deleted', read('customer.json')),
      { deleted: true, stub: false },
    ],
    [
      'customer.deleted carrying deleted_customer.json',
      eventWith('customer.deleted', read('deleted_customer.json')),
      { deleted: true, stub: true },
    ],
  ])('%s', (_name, event, expected) => {
    const change = customerChangeOf(event)!;
    expect(change.customer.id).toBe((event.data.object as { id: string }).id);
    expect({ deleted: change.deleted, stub: isStub(change.customer) }).toEqual(expected);
  });

  it('ignores event types the system does not act on', () => {
    expect(
      customerChangeOf(eventWith('invoice.paid', { id: 'in_1', object: 'invoice', customer: 'cus_1' })),
    ).toBeUndefined();
  });

  it('treats a customer event without a customer as permanent (DLQ, not retries)', () => {
    expect(() => customerChangeOf(eventWith('customer.updated', { id: 'in_1', object: 'invoice' }))).toThrow(
      PermanentError,
    );
  });
});

describe('customerChangeOf, text PostgreSQL cannot hold (issue 9: accepted, made storable by db-writer, never dead-lettered)', () => {
  const customer = read('customer.json');
  it.each([
    ['U+0000 in the name', { ...customer, name: 'a\u0000b' }],
    ['an unpaired surrogate in the description', { ...customer, description: '\ud800' }],
    ['U+0000 in a metadata value', { ...customer, metadata: { k: '\u0000' } }],
  ])('accepts an event with %s as Stripe holds it', (_name, object) => {
    expect(customerChangeOf(eventWith('customer.updated', object))!.customer.id).toBe(customer.id);
  });

  it('keeps a __proto__ metadata key Stripe holds', () => {
    const event = StripeEvent.parse(
      JSON.parse(
        JSON.stringify(eventWith('customer.updated', customer)).replace(
          '"metadata":{}',
          '"metadata":{"__proto__":"x"}',
        ),
      ),
    );
    expect(Object.keys(customerChangeOf(event)!.customer.metadata ?? {})).toEqual(['__proto__']);
  });
});

describe('customerChangeOf, metadata past Stripe’s request limits (inward takes what Stripe holds)', () => {
  const customer = read('customer.json');
  it.each([
    ['a value of 600 characters', { k: 'v'.repeat(600) }],
    ['60 keys', Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`k${i}`, 'v']))],
    ['a key of 60 characters', { ['k'.repeat(60)]: 'v' }],
    ['a key with [ and ]', { 'a[b]': 'v' }],
  ])('accepts %s', (_name, metadata) => {
    expect(customerChangeOf(eventWith('customer.updated', { ...customer, metadata }))!.customer.metadata).toEqual(
      metadata,
    );
  });
});
