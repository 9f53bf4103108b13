import { STRIPE_CUSTOMER_LIMITS as LIMITS, stripeLength } from '@customer-sync/contracts';
import { invalidParam, missingParam, unknownParam } from './stripe-errors';

/** Stripe's address hash: always these six keys, unset ones null. */
export interface StripeAddress {
  city: string | null;
  country: string | null;
  line1: string | null;
  line2: string | null;
  postal_code: string | null;
  state: string | null;
}

/** A customer's shipping details as Stripe returns them. */
export interface StripeShipping {
  address: StripeAddress;
  name: string;
  phone: string | null;
}

export type TaxExempt = 'none' | 'exempt' | 'reverse';

const ADDRESS_KEYS = ['city', 'country', 'line1', 'line2', 'postal_code', 'state'] as const;
const SHIPPING_KEYS = new Set(['name', 'phone', 'address']);
const TAX_EXEMPT: readonly string[] = LIMITS.taxExempt.values;

export const emptyAddress = (): StripeAddress => ({
  city: null,
  country: null,
  line1: null,
  line2: null,
  postal_code: null,
  state: null,
});

function hashOf(value: unknown, param: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalidParam(param, `Invalid object: ${param}`);
  return value as Record<string, unknown>;
}

/**
 * A string sub-parameter within `max` code points (STRIPE_CUSTOMER_LIMITS, from Stripe's OpenAPI
 * request schema); `''` stores null, as Stripe treats empty values as unset.
 */
function optionalString(value: unknown, param: string, max: number): string | null {
  if (value === '' || value === null) return null;
  if (typeof value !== 'string') throw invalidParam(param, `Invalid string: ${param}`);
  if (stripeLength(value) > max)
    throw invalidParam(param, `Invalid string: ${param} must be at most ${max} characters`);
  return value;
}

/**
 * Applies an `address` hash to a current address: the sub-fields given change, the others stay
 * (Stripe's update rule: "any parameters not provided will be left unchanged").
 */
function mergeAddress(current: StripeAddress | null, value: unknown, param: string): StripeAddress {
  const hash = hashOf(value, param);
  const next = { ...(current ?? emptyAddress()) };
  for (const [key, sub] of Object.entries(hash)) {
    if (!(ADDRESS_KEYS as readonly string[]).includes(key)) throw unknownParam(`${param}[${key}]`);
    next[key as keyof StripeAddress] = optionalString(
      sub,
      `${param}[${key}]`,
      LIMITS.address[key as keyof StripeAddress],
    );
  }
  return next;
}

/** `address`: `''` unsets it (null); a hash updates the sub-fields it carries. */
export function addressParam(current: StripeAddress | null, value: unknown): StripeAddress | null {
  return value === '' ? null : mergeAddress(current, value, 'address');
}

/**
 * `shipping`: `''` unsets it; a hash replaces it whole, so `name` and `address` are required every
 * time (Stripe answers "Missing required param: shipping[name]." — stripe/stripe-ruby#755; OpenAPI
 * `customer_shipping` has `required: [address, name]`). Customers take no carrier or tracking number.
 */
export function shippingParam(value: unknown): StripeShipping | null {
  if (value === '') return null;
  const hash = hashOf(value, 'shipping');
  for (const key of Object.keys(hash)) if (!SHIPPING_KEYS.has(key)) throw unknownParam(`shipping[${key}]`);
  const name = hash.name === undefined ? null : optionalString(hash.name, 'shipping[name]', LIMITS.shipping.name);
  if (name === null) throw missingParam('shipping[name]');
  if (hash.address === undefined) throw missingParam('shipping[address]');
  return {
    address: mergeAddress(null, hash.address, 'shipping[address]'),
    name,
    phone: hash.phone === undefined ? null : optionalString(hash.phone, 'shipping[phone]', LIMITS.shipping.phone),
  };
}

/**
 * `preferred_locales`: a list replaced whole; `''` empties it. A form parser gives `x[0]=a` as an
 * array, or as an object keyed by index past its array limit, so both are read. Stripe does not
 * restrict the values to its supported locales (the request schema allows any string ≤ 5000).
 */
export function preferredLocalesParam(value: unknown): string[] {
  if (value === '') return [];
  const items = Array.isArray(value)
    ? value
    : Object.entries(hashOf(value, 'preferred_locales'))
        .sort(([a], [b]) => Number(a) - Number(b))
        .map(([, item]) => item);
  return items.map((item, i) => {
    const locale = optionalString(item, `preferred_locales[${i}]`, LIMITS.preferredLocales.itemMaxLength);
    if (locale === null) throw invalidParam(`preferred_locales[${i}]`, `Invalid string: preferred_locales[${i}]`);
    return locale;
  });
}

/** `tax_exempt`: one of none, exempt, reverse; `''` resets it to the default, none. */
export function taxExemptParam(value: unknown): TaxExempt {
  if (value === '') return 'none';
  if (typeof value !== 'string' || !TAX_EXEMPT.includes(value)) {
    throw invalidParam('tax_exempt', `Invalid tax_exempt: must be one of none, exempt, or reverse`);
  }
  return value as TaxExempt;
}
