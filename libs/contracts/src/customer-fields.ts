import { z } from 'zod';
import { PROFILE_VALUE_FIELDS } from './profile-values';

/** Stripe's metadata limits: at most 50 keys, keys up to 40 characters, values up to 500. */
export const Metadata = z
  .record(z.string().min(1).max(40), z.string().max(500))
  .refine((m) => Object.keys(m).length <= 50, { message: 'metadata has more than 50 keys' });
export type Metadata = z.infer<typeof Metadata>;

export const CustomerName = z.string().trim().min(1).max(256);
export const CustomerEmail = z.email().max(512).transform((e) => e.toLowerCase());
/** E.164-ish: an optional +, digits, spaces, dashes, dots and parentheses, 5 to 32 characters. */
export const CustomerPhone = z.string().regex(/^\+?[0-9 ().-]{5,32}$/, 'phone must look like +15555550123');
export const CustomerDescription = z.string().max(1000);

/**
 * The customer fields both directions agree on: what we send to Stripe and what we take back.
 * Name and email may be null for customers created in Stripe without them.
 */
export const CustomerFields = z.object({
  name: z.string().max(256).nullable(),
  email: z.string().max(512).nullable(),
  phone: z.string().max(64).nullable(),
  description: z.string().max(1000).nullable(),
  metadata: z.record(z.string(), z.string()),
  ...PROFILE_VALUE_FIELDS,
});
export type CustomerFields = z.infer<typeof CustomerFields>;

/** A customer's fields as Stripe holds them, with its Stripe id. */
export type StripeCustomerSnapshot = CustomerFields & { stripeCustomerId: string };
