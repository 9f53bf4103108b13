import type { AddressValue, ProfileValues } from '@customer-sync/contracts';
import type { Stripe } from '@customer-sync/stripe-client';

type ProfileParams = Pick<Stripe.CustomerUpdateParams, 'address' | 'shipping' | 'preferred_locales' | 'tax_exempt'>;

/** Every part of an address, so the result does not depend on whether Stripe merges or replaces the hash; `''` clears a part. */
const addressParam = (a: AddressValue): Stripe.AddressParam => ({
  city: a.city ?? '',
  country: a.country ?? '',
  line1: a.line1 ?? '',
  line2: a.line2 ?? '',
  postal_code: a.postal_code ?? '',
  state: a.state ?? '',
});

/**
 * The Stripe parameters of the profile fields a command carries; fields it does not carry are left
 * out, so Stripe keeps its values. Removals follow Stripe's rule that an empty value unsets:
 * `address: ''`, `shipping: ''`, `preferred_locales: ''` (the SDK sends nothing for `[]`) and
 * `tax_exempt: ''` (back to `none`).
 */
export function profileParams(values: Partial<ProfileValues>): ProfileParams {
  const params: ProfileParams = {};
  const { address, shipping, preferred_locales: locales, tax_exempt: taxExempt } = values;
  if (address !== undefined) params.address = address === null ? '' : addressParam(address);
  if (shipping !== undefined) {
    params.shipping = shipping === null ? '' : { name: shipping.name ?? '', phone: shipping.phone ?? '', address: addressParam(shipping.address) };
  }
  if (locales !== undefined) params.preferred_locales = locales.length === 0 ? ('' as unknown as string[]) : locales;
  if (taxExempt !== undefined) params.tax_exempt = (taxExempt ?? '') as Stripe.CustomerUpdateParams.TaxExempt;
  return params;
}
