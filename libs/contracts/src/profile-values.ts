import { z } from 'zod';

/**
 * The values of the customer profile fields `address`, `shipping`, `preferred_locales` and
 * `tax_exempt` as Stripe's customer object holds them — and as we store them (the `customers`
 * columns of the same names) and carry them in commands, so nothing is translated between Stripe,
 * the table and Kafka. Stripe's full range is accepted (any string, no length limit): an inbound
 * value is never refused. The REST API shows them in camelCase (see profile-api.ts).
 */

const part = z.string().nullable().default(null);

/**
 * Stripe's `address` hash: six parts, an unset one null (Stripe returns all six). Missing parts
 * read as null, so an object from an older API version still parses.
 */
export const AddressValue = z.object({
  city: part,
  country: part,
  line1: part,
  line2: part,
  postal_code: part,
  state: part,
});
export type AddressValue = z.infer<typeof AddressValue>;

/** An address with every part null. */
export const emptyAddressValue = (): AddressValue => ({
  city: null,
  country: null,
  line1: null,
  line2: null,
  postal_code: null,
  state: null,
});

/**
 * Stripe's customer `shipping`: recipient name, phone and address. Stripe requires the name when
 * shipping is written, but its object schema allows a missing one, so null is accepted inward.
 */
export const ShippingValue = z.object({
  address: AddressValue,
  name: z.string().nullable().default(null),
  phone: part,
});
export type ShippingValue = z.infer<typeof ShippingValue>;

/** `preferred_locales`: locale tags in order of preference; Stripe's null reads as no preference, `[]`. */
export const PreferredLocalesValue = z
  .array(z.string())
  .nullable()
  .transform((v) => v ?? []);

/**
 * `tax_exempt`: `none`, `exempt` or `reverse` today; any string or null is taken inward (Stripe's
 * object schema is a nullable string enum, and a value added later must not be refused).
 */
export const TaxExemptValue = z.string().nullable();

/** The profile fields' schemas by Stripe name, for the list of synced fields. */
export const PROFILE_VALUE_FIELDS = {
  address: AddressValue.nullable(),
  shipping: ShippingValue.nullable(),
  preferred_locales: PreferredLocalesValue,
  tax_exempt: TaxExemptValue,
};

/** The profile keys of a Stripe customer object as read inward: each may be missing (a deletion stub). */
export const STRIPE_PROFILE_OBJECT_FIELDS = {
  address: AddressValue.nullable().optional(),
  shipping: ShippingValue.nullable().optional(),
  preferred_locales: PreferredLocalesValue.optional(),
  tax_exempt: TaxExemptValue.optional(),
};

/** The profile fields of one customer, by Stripe name, in Stripe's shape. */
export interface ProfileValues {
  address: AddressValue | null;
  shipping: ShippingValue | null;
  preferred_locales: string[];
  tax_exempt: string | null;
}
