import { z } from 'zod';
import { CustomerAction } from './customer-requested';
import { envelopeOf } from './envelope';

/**
 * `deleted_in_stripe`: the customer was deleted in Stripe (by someone else) before this command
 * reached it. A deletion in Stripe is final: the row becomes deleted and synced, nothing re-creates it.
 */
export const SyncOutcome = z.enum(['synced', 'failed', 'deleted_in_stripe']);
export type SyncOutcome = z.infer<typeof SyncOutcome>;

export const CustomerSyncResultPayload = z.object({
  customerId: z.uuid(),
  /** Envelope id of the customer.requested message this answers. */
  requestId: z.string().min(1),
  action: CustomerAction,
  version: z.number().int().positive(),
  outcome: SyncOutcome,
  stripeCustomerId: z.string().nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  /** When the API write this answers was made (the command's occurredAt), for the end-to-end latency. */
  requestedAt: z.iso.datetime().optional(),
});
export type CustomerSyncResultPayload = z.infer<typeof CustomerSyncResultPayload>;

export const CustomerSyncResult = envelopeOf('customer.sync-result', CustomerSyncResultPayload);
export type CustomerSyncResult = z.infer<typeof CustomerSyncResult>;
