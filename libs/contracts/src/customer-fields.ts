import { z } from 'zod';
import { STRIPE_CUSTOMER_LIMITS as LIMITS } from './stripe-customer-limits';
import { CustomerProfile, LINK_METADATA_KEY } from './customer-profile';
import { InboundMetadata, StripePhone, storableMetadata, storableStripeText } from './stripe-field-schemas';

/**
 * Metadata keys the sync writes in Stripe itself (the link from a Stripe customer to ours). The API
 * refuses them as user keys and allows as many user keys as leave room for them under Stripe's 50.
 */
export const SYNC_METADATA_KEYS = [LINK_METADATA_KEY] as const;

/** User metadata keys the API accepts: Stripe's 50 less the sync's own keys. */
export const API_METADATA_MAX_KEYS = LIMITS.metadata.maxKeys - SYNC_METADATA_KEYS.length;

/**
 * Metadata as the API takes it: at most API_METADATA_MAX_KEYS keys; keys 1–40 code points without
 * `[`/`]`, not `__proto__` nor a sync key; values 1–500 code points (`""` refused: Stripe reads it as
 * "delete this key"); no U+0000 or unpaired surrogate anywhere.
 */
export const Metadata = storableMetadata(API_METADATA_MAX_KEYS, SYNC_METADATA_KEYS);
export type Metadata = z.infer<typeof Metadata>;

/** 1–256 code points, not blank; kept exactly as sent (no trimming). */
export const CustomerName = storableStripeText(LIMITS.name.maxLength).refine((n) => n.trim() !== '', {
  message: 'must not be empty or blank',
});
/** An email address of at most 512 code points; kept as the user typed it, compared case-insensitively (uniqueness, list filter). */
export const CustomerEmail = z
  .email()
  .meta({ maxLength: LIMITS.email.maxLength })
  .pipe(storableStripeText(LIMITS.email.maxLength));
/** Digits, spaces, `+ ( ) . -`; at most 20 code points (Stripe's limit) with at least one digit. */
export const CustomerPhone = z
  .string()
  .regex(/^\+?[0-9 ().-]+$/, 'phone must look like +15555550123')
  .meta({ maxLength: LIMITS.phone.maxLength })
  .pipe(StripePhone);
/**
 * 1–5000 code points (Stripe's limit). `""` is refused: Stripe stores it as "no description" (null),
 * so it could not round-trip; send null (PATCH) or leave it out.
 */
export const CustomerDescription = storableStripeText(LIMITS.description.maxLength).refine((d) => d !== '', {
  message: 'must not be empty (Stripe would store no description); send null or leave it out',
});

/**
 * A customer's synced fields as Stripe may hold them: the profile (see PROFILE_FIELDS) and metadata.
 * Inward, text is made storable by storableText before it reaches PostgreSQL (never refused).
 */
export const CustomerFields = CustomerProfile.extend({ metadata: InboundMetadata });
export type CustomerFields = z.infer<typeof CustomerFields>;

/** A customer's fields as Stripe holds them, with its Stripe id. */
export type StripeCustomerSnapshot = CustomerFields & { stripeCustomerId: string };
