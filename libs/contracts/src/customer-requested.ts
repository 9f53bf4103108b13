import { z } from 'zod';
import { CustomerFields } from './customer-fields';
import { envelopeOf } from './envelope';

export const CustomerAction = z.enum(['create', 'update', 'delete']);
export type CustomerAction = z.infer<typeof CustomerAction>;

/** A command to make Stripe match our customer; carries the full desired state, so replays are harmless. */
export const CustomerRequestedPayload = z.object({
  action: CustomerAction,
  customerId: z.uuid(),
  /** Increases with every write of the customer; sync results echo it so a stale result never wins. */
  version: z.number().int().positive(),
  stripeCustomerId: z.string().nullable(),
  /** The profile fields (address, shipping, preferred_locales, tax_exempt) may be absent: Stripe's value is then left alone. */
  customer: CustomerFields.partial({ address: true, shipping: true, preferred_locales: true, tax_exempt: true }),
  /** Metadata keys this write removed; Stripe merges metadata, so removals must be named. */
  unsetMetadataKeys: z.array(z.string()).default([]),
});
export type CustomerRequestedPayload = z.infer<typeof CustomerRequestedPayload>;

export const CustomerRequested = envelopeOf('customer.requested', CustomerRequestedPayload);
export type CustomerRequested = z.infer<typeof CustomerRequested>;
