import {
  addressPartsOf,
  emptyAddressValue,
  type AddressInput,
  type AddressValue,
  type ShippingInput,
  type ShippingPatch,
  type ProfileValues,
  type ShippingValue,
  type StripeTaxExemptValue,
} from '@customer-sync/contracts';
import { ValidationError } from '@customer-sync/service-core';

/** The profile part of a create request. */
export interface ProfileCreateInput {
  address?: AddressInput;
  shipping?: ShippingInput;
  preferredLocales?: string[];
  taxExempt?: StripeTaxExemptValue;
}

/** The profile part of a PATCH request. */
export interface ProfilePatchInput {
  address?: AddressInput | null;
  shipping?: ShippingPatch | null;
  preferredLocales?: string[];
  taxExempt?: StripeTaxExemptValue;
}

const mergeAddress = (current: AddressValue | null, input: AddressInput): AddressValue => ({
  ...(current ?? emptyAddressValue()),
  ...addressPartsOf(input),
});

/** A create's profile: parts left out are null, no locales, tax exemption `none` (Stripe's defaults). */
export function profileOfCreate(input: ProfileCreateInput): ProfileValues {
  const { shipping } = input;
  return {
    address: input.address ? mergeAddress(null, input.address) : null,
    shipping: shipping
      ? { name: shipping.name, phone: shipping.phone ?? null, address: mergeAddress(null, shipping.address) }
      : null,
    preferred_locales: input.preferredLocales ?? [],
    tax_exempt: input.taxExempt ?? 'none',
  };
}

function mergeShipping(current: ShippingValue | null, patch: ShippingPatch): ShippingValue {
  const name = patch.name ?? current?.name ?? null;
  if (name === null) {
    // Stripe takes shipping only with a recipient name (and it answers a missing one with a 400).
    throw new ValidationError(
      [{ path: 'body.shipping.name', message: 'required while the customer has no shipping name' }],
      'invalid body: body.shipping.name',
    );
  }
  return {
    name,
    phone: patch.phone === undefined ? (current?.phone ?? null) : patch.phone,
    address: patch.address
      ? mergeAddress(current?.address ?? null, patch.address)
      : (current?.address ?? emptyAddressValue()),
  };
}

/**
 * The profile fields a PATCH writes, merged into the current values: nested parts left out keep
 * their value, `null` clears a part, `address: null`/`shipping: null` remove the whole field, lists
 * are replaced. Fields the PATCH leaves out are absent from the result.
 * Throws ValidationError (400) for shipping that would have no name.
 */
export function profilePatchOf(current: ProfileValues, input: ProfilePatchInput): Partial<ProfileValues> {
  const out: Partial<ProfileValues> = {};
  if (input.address !== undefined)
    out.address = input.address === null ? null : mergeAddress(current.address, input.address);
  if (input.shipping !== undefined)
    out.shipping = input.shipping === null ? null : mergeShipping(current.shipping, input.shipping);
  if (input.preferredLocales !== undefined) out.preferred_locales = input.preferredLocales;
  if (input.taxExempt !== undefined) out.tax_exempt = input.taxExempt;
  return out;
}
