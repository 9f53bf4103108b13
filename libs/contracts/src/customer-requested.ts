import { z } from 'zod';
import { CustomerChanges } from './customer-profile';
import { envelopeOf } from './envelope';

export const CustomerAction = z.enum(['create', 'update', 'delete']);
export type CustomerAction = z.infer<typeof CustomerAction>;

/**
 * A command to make Stripe take one API write. It carries only what that write changed (a create:
 * every field), so fields nobody touched in this write keep whatever Stripe holds. The command id
 * (envelope id) makes the idempotency keys, so a redelivered command sends the same fields again.
 */
export const CustomerRequestedPayload = z.object({
  action: CustomerAction,
  customerId: z.uuid(),
  /** Increases with every write of the customer; sync results echo it so a stale result never wins. */
  version: z.number().int().positive(),
  stripeCustomerId: z.string().nullable(),
  changes: CustomerChanges,
});
export type CustomerRequestedPayload = z.infer<typeof CustomerRequestedPayload>;

export const CustomerRequested = envelopeOf('customer.requested', CustomerRequestedPayload);
export type CustomerRequested = z.infer<typeof CustomerRequested>;
