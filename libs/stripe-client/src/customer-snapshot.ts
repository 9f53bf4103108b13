import type { StripeCustomerObject, StripeCustomerSnapshot } from '@customer-sync/contracts';

export const INTERNAL_ID_KEY = 'internal_id';

/** The customer fields we keep, read from a Stripe customer object. */
export function snapshotOf(customer: StripeCustomerObject): StripeCustomerSnapshot {
  return {
    stripeCustomerId: customer.id,
    name: customer.name ?? null,
    email: customer.email?.toLowerCase() ?? null,
    phone: customer.phone ?? null,
    description: customer.description ?? null,
    metadata: withoutInternalId(customer.metadata ?? {}),
    address: customer.address ?? null,
    shipping: customer.shipping ?? null,
    preferred_locales: customer.preferred_locales ?? [],
    tax_exempt: customer.tax_exempt ?? null,
  };
}

/** Our link key lives in Stripe's metadata but is not part of the customer's own metadata. */
export function withoutInternalId(metadata: Record<string, string>): Record<string, string> {
  const { [INTERNAL_ID_KEY]: _link, ...rest } = metadata;
  return rest;
}

export const internalIdOf = (customer: StripeCustomerObject): string | undefined => customer.metadata?.[INTERNAL_ID_KEY] || undefined;
