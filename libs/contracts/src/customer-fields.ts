import { z } from 'zod';
import { CustomerProfile, StripeMetadata } from './customer-profile';

/** Stripe's metadata limits: at most 50 keys, keys up to 40 characters, values up to 500. */
export const Metadata = z
  .record(z.string().min(1).max(40), z.string().max(500))
  .refine((m) => Object.keys(m).length <= 50, { message: 'metadata has more than 50 keys' });
export type Metadata = z.infer<typeof Metadata>;

export const CustomerName = z.string().trim().min(1).max(256);
/** Kept as the user typed it; compared case-insensitively (uniqueness, list filter). */
export const CustomerEmail = z.email().max(512);
/** E.164-ish: an optional +, digits, spaces, dashes, dots and parentheses, 5 to 32 characters. */
export const CustomerPhone = z.string().regex(/^\+?[0-9 ().-]{5,32}$/, 'phone must look like +15555550123');
export const CustomerDescription = z.string().max(1000);

/** A customer's synced fields: the profile (see PROFILE_FIELDS) and user metadata, as Stripe may hold them. */
export const CustomerFields = CustomerProfile.extend({ metadata: StripeMetadata });
export type CustomerFields = z.infer<typeof CustomerFields>;

/** A customer's fields as Stripe holds them, with its Stripe id. */
export type StripeCustomerSnapshot = CustomerFields & { stripeCustomerId: string };
