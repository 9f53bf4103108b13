import {
  LEGACY_LINK_METADATA_KEY,
  LINK_METADATA_KEY,
  CustomerProfile,
  PROFILE_FIELD_NAMES,
  storableJson,
  type StripeCustomerObject,
  type StripeCustomerSnapshot,
} from '@customer-sync/contracts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The customer fields we keep, read from a Stripe customer object, made storable (storableText) and
 * without our link keys: `customer_sync_id` always, the legacy `internal_id` only when it names
 * `linkedRowId` (the row this Stripe customer is linked to). Emails keep Stripe's casing.
 */
export function snapshotOf(customer: StripeCustomerObject, linkedRowId?: string): StripeCustomerSnapshot {
  const source = customer as unknown as Record<string, unknown>;
  // Each field through its PROFILE_FIELDS schema: a missing one takes its empty value (an address's
  // missing parts null, missing `preferred_locales` `[]`).
  const fields = Object.fromEntries(
    PROFILE_FIELD_NAMES.map((f) => [f, CustomerProfile.shape[f].parse(source[f] ?? null)]),
  ) as CustomerProfile;
  return storableJson({
    stripeCustomerId: customer.id,
    ...fields,
    metadata: userMetadataOf(customer.metadata ?? {}, linkedRowId),
  });
}

/** Stripe metadata without the keys that are our link rather than the customer's own data. */
export function userMetadataOf(metadata: Record<string, string>, linkedRowId?: string): Record<string, string> {
  const { [LINK_METADATA_KEY]: _link, ...rest } = metadata;
  if (linkedRowId !== undefined && rest[LEGACY_LINK_METADATA_KEY] === linkedRowId)
    delete rest[LEGACY_LINK_METADATA_KEY];
  return rest;
}

/**
 * The row id a Stripe customer's metadata claims: `customer_sync_id`, else (customers created before
 * the namespaced key) an `internal_id` that is a UUID. A claim links only a row whose own create is
 * still in flight (see docs/sync-rules.md).
 */
export function linkClaimOf(customer: StripeCustomerObject): string | undefined {
  const claim = customer.metadata?.[LINK_METADATA_KEY] ?? customer.metadata?.[LEGACY_LINK_METADATA_KEY];
  return claim && UUID.test(claim) ? claim : undefined;
}
