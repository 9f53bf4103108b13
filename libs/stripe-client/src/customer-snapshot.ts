import type { StripeCustomerObject } from '@customer-sync/contracts';

/** The customer fields we keep, read from a Stripe customer object. */
export interface CustomerSnapshotFields {
  stripeCustomerId: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  description: string | null;
  metadata: Record<string, string>;
}

export const INTERNAL_ID_KEY = 'internal_id';

export function snapshotOf(customer: StripeCustomerObject): CustomerSnapshotFields {
  return {
    stripeCustomerId: customer.id,
    name: customer.name ?? null,
    email: customer.email?.toLowerCase() ?? null,
    phone: customer.phone ?? null,
    description: customer.description ?? null,
    metadata: withoutInternalId(customer.metadata ?? {}),
  };
}

/** Our link key lives in Stripe's metadata but is not part of the customer's own metadata. */
export function withoutInternalId(metadata: Record<string, string>): Record<string, string> {
  const { [INTERNAL_ID_KEY]: _link, ...rest } = metadata;
  return rest;
}

export const internalIdOf = (customer: StripeCustomerObject): string | undefined => customer.metadata?.[INTERNAL_ID_KEY] || undefined;
