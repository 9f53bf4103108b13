import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES_DIR } from '@customer-sync/testing';
import {
  STRIPE_CUSTOMER_LIMITS,
  StripeMetadata,
  StripePhone,
  storableMetadata,
  storableStripeText,
  stripeLength,
  stripeText,
} from './index';

const openapi = JSON.parse(readFileSync(join(FIXTURES_DIR, 'openapi-customer-schema.json'), 'utf8'));
const formOf = (path: string) =>
  openapi.paths[path].post.requestBody.content['application/x-www-form-urlencoded'].schema.properties;

describe('STRIPE_CUSTOMER_LIMITS', () => {
  it.each(['/v1/customers', '/v1/customers/{customer}'])(
    'matches the maxLength of every field in Stripe’s OpenAPI request body of %s',
    (path) => {
      const form = formOf(path);
      for (const field of ['name', 'email', 'phone', 'description'] as const)
        expect(STRIPE_CUSTOMER_LIMITS[field].maxLength).toBe(form[field].maxLength);
      expect([...STRIPE_CUSTOMER_LIMITS.taxExempt.values, ''].sort()).toEqual([...form.tax_exempt.enum].sort());
      const address = form.address.anyOf[0].properties;
      for (const [part, max] of Object.entries(STRIPE_CUSTOMER_LIMITS.address))
        expect(address[part].maxLength).toBe(max);
      const shipping = form.shipping.anyOf[0];
      expect(shipping.required.sort()).toEqual(['address', 'name']);
      expect(shipping.properties.name.maxLength).toBe(STRIPE_CUSTOMER_LIMITS.shipping.name);
      expect(shipping.properties.phone.maxLength).toBe(STRIPE_CUSTOMER_LIMITS.shipping.phone);
      expect(form.preferred_locales.items.maxLength).toBe(STRIPE_CUSTOMER_LIMITS.preferredLocales.itemMaxLength);
    },
  );

  it('matches the metadata value limit of Stripe’s customer object', () => {
    expect(openapi.components.schemas.customer.properties.metadata.additionalProperties.maxLength).toBe(
      STRIPE_CUSTOMER_LIMITS.metadata.valueMaxLength,
    );
  });
});

describe('length counting', () => {
  it('counts Unicode code points, as Stripe does, not UTF-16 units', () => {
    expect(stripeLength('😀')).toBe(1);
    expect(stripeText(2).safeParse('😀😀').success).toBe(true);
    expect(stripeText(2).safeParse('😀😀😀').success).toBe(false);
  });
});

describe('storableStripeText', () => {
  it.each([
    ['U+0000', 'a\u0000b'],
    ['an unpaired high surrogate', '\ud800'],
    ['an unpaired low surrogate', 'x\udc00'],
  ])('refuses %s', (_name, value) => {
    expect(storableStripeText(10).safeParse(value).success).toBe(false);
  });

  it('takes a well-formed surrogate pair (an emoji)', () => {
    expect(storableStripeText(1).safeParse('😀').success).toBe(true);
  });
});

describe('StripePhone', () => {
  it('refuses a phone without a digit and one past 20 code points; takes one at 20', () => {
    expect(StripePhone.safeParse('.....').success).toBe(false);
    expect(StripePhone.safeParse('1'.repeat(21)).success).toBe(false);
    expect(StripePhone.safeParse('1'.repeat(20)).success).toBe(true);
  });
});

describe('metadata', () => {
  const api = storableMetadata(49, ['internal_id']);
  const keys = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v']));

  it('Stripe takes 50 keys, not 51', () => {
    expect(StripeMetadata.safeParse(keys(50)).success).toBe(true);
    expect(StripeMetadata.safeParse(keys(51)).success).toBe(false);
  });

  it.each([
    ['a key with [', { 'a[b': 'v' }],
    ['a key with ]', { 'a]': 'v' }],
    ['a key past 40 code points', { ['k'.repeat(41)]: 'v' }],
    ['a value past 500 code points', { k: 'v'.repeat(501) }],
    ['an empty key', { '': 'v' }],
  ])('Stripe refuses %s', (_name, metadata) => {
    expect(StripeMetadata.safeParse(metadata).success).toBe(false);
  });

  it.each([
    ['50 user keys (the sync adds its own)', keys(50)],
    ['an empty value (Stripe deletes the key)', { k: '' }],
    ['the reserved sync key', { internal_id: 'x' }],
    ['a __proto__ key', JSON.parse('{"__proto__":"x"}')],
    ['U+0000 in a key', { 'a\u0000': 'v' }],
    ['an unpaired surrogate in a value', { k: '\udfff' }],
  ])('the API refuses %s', (_name, metadata) => {
    expect(api.safeParse(metadata).success).toBe(false);
  });

  it('names the __proto__ key in the issue path', () => {
    const result = api.safeParse(JSON.parse('{"__proto__":"x","a":"b"}'));
    expect(result.error?.issues[0]?.path).toEqual(['__proto__']);
  });

  it('the API takes 49 keys at Stripe’s key and value limits', () => {
    expect(api.safeParse({ ...keys(48), ['k'.repeat(40)]: 'v'.repeat(500) }).success).toBe(true);
  });
});

describe('a __proto__ metadata key from Stripe', () => {
  it('is kept as an own key with its value, not dropped', () => {
    const parsed = StripeMetadata.parse(JSON.parse('{"__proto__":"x","a":"b"}'));
    expect(Object.keys(parsed).sort()).toEqual(['__proto__', 'a']);
    expect(JSON.stringify(parsed)).toBe('{"a":"b","__proto__":"x"}');
  });
});
