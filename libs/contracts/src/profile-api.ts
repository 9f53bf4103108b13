import { z } from 'zod';
import type { AddressValue, ProfileValues, ShippingValue } from './profile-values';
import { STRIPE_CUSTOMER_LIMITS as LIMITS } from './stripe-customer-limits';
import { StripeTaxExempt, storableStripeText } from './stripe-field-schemas';

/**
 * The profile fields in the REST API: camelCase like the rest of it (`postalCode`,
 * `preferredLocales`, `taxExempt`), limits from STRIPE_CUSTOMER_LIMITS, text PostgreSQL can store.
 * Stored and sent to Stripe in Stripe's shape (profile-values.ts); `apiAddressOf`/`apiShippingOf`
 * and `addressPartsOf` translate.
 */

/** An address as the API answers it; every part null when unset. */
export const ApiAddress = z.object({
  line1: z.string().nullable(),
  line2: z.string().nullable(),
  city: z.string().nullable(),
  state: z.string().nullable(),
  postalCode: z.string().nullable(),
  /** Free text in Stripe; its tax features want an ISO 3166-1 alpha-2 code such as `FR`. */
  country: z.string().nullable(),
});
export type ApiAddress = z.infer<typeof ApiAddress>;

/** Shipping as the API answers it. `name` is null only when Stripe holds shipping without one. */
export const ApiShipping = z.object({ name: z.string().nullable(), phone: z.string().nullable(), address: ApiAddress });
export type ApiShipping = z.infer<typeof ApiShipping>;

/** `""` reads as null: Stripe stores an empty part as null, so both sides end equal. */
const emptyIsNull = (v: string | null | undefined) => (v === '' ? null : v);
const part = (max: number) => storableStripeText(max).nullable().optional().transform(emptyIsNull);
const nonEmpty = (max: number) =>
  storableStripeText(max).refine((s) => s.trim() !== '', { message: 'must not be empty' });

/**
 * An address in a request, every part optional. On create, parts left out are null; on PATCH they
 * keep their value; `null` (or `""`) clears one.
 */
export const AddressInput = z.strictObject({
  line1: part(LIMITS.address.line1),
  line2: part(LIMITS.address.line2),
  city: part(LIMITS.address.city),
  state: part(LIMITS.address.state),
  postalCode: part(LIMITS.address.postal_code),
  country: part(LIMITS.address.country),
});
export type AddressInput = z.infer<typeof AddressInput>;

/** Shipping on create, and whenever a customer has none yet: `name` and `address` required, as Stripe requires them. */
export const ShippingInput = z.strictObject({
  name: nonEmpty(LIMITS.shipping.name),
  phone: part(LIMITS.shipping.phone),
  address: AddressInput,
});
export type ShippingInput = z.infer<typeof ShippingInput>;

/** Shipping in a PATCH: merged into the stored shipping, nested parts left out keep their value. */
export const ShippingPatch = z.strictObject({
  name: nonEmpty(LIMITS.shipping.name).optional(),
  phone: part(LIMITS.shipping.phone),
  address: AddressInput.optional(),
});
export type ShippingPatch = z.infer<typeof ShippingPatch>;

/** Locale tags in order of preference (`["fr-FR", "en"]`), replaced whole; `[]` clears. */
export const PreferredLocalesInput = z.array(nonEmpty(LIMITS.preferredLocales.itemMaxLength));

/** The profile fields of POST /customers. */
export const ProfileCreateFields = {
  address: AddressInput.describe('Billing address; parts left out are null.').optional(),
  shipping: ShippingInput.describe(
    'Shipping recipient: name and address required, as Stripe requires them.',
  ).optional(),
  preferredLocales: PreferredLocalesInput.describe(
    'Locale tags in order of preference, e.g. ["fr-FR", "en"].',
  ).optional(),
  taxExempt: StripeTaxExempt.describe('Defaults to none.').optional(),
};

/** The profile fields of PATCH /customers/:id: `address: null` and `shipping: null` remove them. */
export const ProfileUpdateFields = {
  address: AddressInput.nullable()
    .describe('Merged part by part: parts left out keep their value, null clears a part; null removes the address.')
    .optional(),
  shipping: ShippingPatch.nullable()
    .describe(
      'Merged down to its address parts; a name is required while the customer has no shipping; null removes it.',
    )
    .optional(),
  preferredLocales: PreferredLocalesInput.describe('Replaced whole; [] clears.').optional(),
  taxExempt: StripeTaxExempt.optional(),
};

/** The profile fields of a Customer answer. `taxExempt` is a string: Stripe may hold a value we never write. */
export const ProfileResponseFields = {
  address: ApiAddress.nullable(),
  shipping: ApiShipping.nullable(),
  preferredLocales: z.array(z.string()),
  taxExempt: z.string().nullable(),
};

/** A stored (Stripe-shaped) address as the API answers it: `postal_code` becomes `postalCode`. */
export function apiAddressOf(a: AddressValue): ApiAddress {
  return {
    line1: a.line1,
    line2: a.line2,
    city: a.city,
    state: a.state,
    postalCode: a.postal_code,
    country: a.country,
  };
}

/** Stored shipping as the API answers it. */
export function apiShippingOf(s: ShippingValue): ApiShipping {
  return { name: s.name, phone: s.phone, address: apiAddressOf(s.address) };
}

/** The parts an address input sets, in Stripe's names; parts left out are absent (not null). */
export function addressPartsOf(input: AddressInput): Partial<AddressValue> {
  const parts: Partial<AddressValue> = {};
  const { postalCode, ...rest } = input;
  for (const [key, value] of Object.entries({ ...rest, postal_code: postalCode })) {
    if (value !== undefined) parts[key as keyof AddressValue] = value;
  }
  return parts;
}

/** The profile fields of a Customer answer, from the stored values. */
export function apiProfileOf(values: ProfileValues) {
  return {
    address: values.address && apiAddressOf(values.address),
    shipping: values.shipping && apiShippingOf(values.shipping),
    preferredLocales: values.preferred_locales,
    taxExempt: values.tax_exempt,
  };
}
