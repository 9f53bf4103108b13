import { newId, nowSeconds } from './ids';
import { checkCustomerParam, mergeMetadata } from './customer-params';
import {
  addressParam,
  preferredLocalesParam,
  shippingParam,
  taxExemptParam,
  type StripeAddress,
  type StripeShipping,
  type TaxExempt,
} from './customer-profile-params';
import { previousAttributes } from './previous-attributes';
import { invalidParam, unknownParam } from './stripe-errors';

/** A customer with the key set of Stripe's own API (see libs/testing/fixtures/stripe/customer.json). */
export interface CustomerObject {
  id: string;
  object: 'customer';
  address: StripeAddress | null;
  balance: number;
  created: number;
  currency: string | null;
  default_source: string | null;
  delinquent: boolean;
  description: string | null;
  discount: unknown;
  email: string | null;
  invoice_prefix: string;
  invoice_settings: {
    custom_fields: unknown;
    default_payment_method: string | null;
    footer: string | null;
    rendering_options: unknown;
  };
  livemode: false;
  metadata: Record<string, string>;
  name: string | null;
  next_invoice_sequence: number;
  phone: string | null;
  preferred_locales: string[];
  shipping: StripeShipping | null;
  tax_exempt: TaxExempt;
  test_clock: string | null;
}

export type CustomerParams = Record<string, unknown>;

const EDITABLE = [
  'name',
  'email',
  'phone',
  'description',
  'metadata',
  'address',
  'shipping',
  'preferred_locales',
  'tax_exempt',
  'balance',
] as const;
const IGNORED = new Set(['expand']);

function nullableString(params: CustomerParams, key: string): string | null | undefined {
  const value = params[key];
  if (value === undefined) return undefined;
  if (value === '' || value === null) return null;
  if (typeof value !== 'string') throw invalidParam(key, `Invalid string: ${key}`);
  return value;
}

function validateKeys(params: CustomerParams) {
  for (const key of Object.keys(params)) {
    if (!IGNORED.has(key) && !(EDITABLE as readonly string[]).includes(key)) throw unknownParam(key);
  }
  const email = params.email;
  if (typeof email === 'string' && email !== '' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
    throw invalidParam('email', 'Invalid email address: ' + email);
}

/** Changes from params: only keys whose value really changes. */
function changes(current: CustomerObject, params: CustomerParams): Partial<CustomerObject> {
  validateKeys(params);
  for (const [key, value] of Object.entries(params)) checkCustomerParam(key, value);
  const out: Partial<CustomerObject> = {};
  for (const key of ['name', 'email', 'phone', 'description'] as const) {
    const value = nullableString(params, key);
    if (value !== undefined) out[key] = value;
  }
  if (params.metadata !== undefined) out.metadata = mergeMetadata(current.metadata, params.metadata);
  if (params.tax_exempt !== undefined) out.tax_exempt = taxExemptParam(params.tax_exempt);
  if (params.balance !== undefined) {
    const balance = Number(params.balance);
    if (!Number.isInteger(balance)) throw invalidParam('balance', 'Invalid integer: balance');
    out.balance = balance;
  }
  if (params.address !== undefined) out.address = addressParam(current.address, params.address);
  if (params.shipping !== undefined) out.shipping = shippingParam(params.shipping);
  if (params.preferred_locales !== undefined) out.preferred_locales = preferredLocalesParam(params.preferred_locales);
  return out;
}

/**
 * A new customer from create params, with Stripe's defaults for everything not given.
 * @throws StripeApiError 400 for a parameter Stripe refuses.
 */
export function newCustomer(params: CustomerParams): CustomerObject {
  const blank: CustomerObject = {
    id: newId('cus'),
    object: 'customer',
    address: null,
    balance: 0,
    created: nowSeconds(),
    currency: null,
    default_source: null,
    delinquent: false,
    description: null,
    discount: null,
    email: null,
    invoice_prefix: newId('x', 8).slice(2).toUpperCase(),
    invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
    livemode: false,
    metadata: {},
    name: null,
    next_invoice_sequence: 1,
    phone: null,
    preferred_locales: [],
    shipping: null,
    tax_exempt: 'none',
    test_clock: null,
  };
  return { ...blank, ...changes(blank, params) };
}

/**
 * Applies params; returns the new object and `previous_attributes` as Stripe reports them: old
 * values of changed keys, nested hashes (metadata, address, shipping) reduced to their changed keys,
 * keys that did not exist before as null.
 */
export function updateCustomer(
  current: CustomerObject,
  params: CustomerParams,
): { next: CustomerObject; previous: Record<string, unknown> } {
  const next = { ...current, ...changes(current, params) };
  return {
    next,
    previous: previousAttributes(
      current as unknown as Record<string, unknown>,
      next as unknown as Record<string, unknown>,
    ),
  };
}
