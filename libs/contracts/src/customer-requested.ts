import { z } from 'zod';
import { CustomerChanges } from './customer-profile';
import { envelopeOf } from './envelope';

export const CustomerAction = z.enum(['create', 'update', 'delete']);
export type CustomerAction = z.infer<typeof CustomerAction>;

/**
 * Our own create of the customer, as its command made it: an update or delete queued before that
 * create's result confirmed a Stripe id carries it, and the worker finds our customer by replaying
 * it under the same idempotency key (Stripe answers with the customer it first made, for 24 h).
 */
export const OwnCreate = z.object({
  /** The create command's id (its idempotency key is `customer-sync:<id>:create`). */
  requestId: z.uuid(),
  occurredAt: z.string(),
  changes: CustomerChanges,
});
export type OwnCreate = z.infer<typeof OwnCreate>;

/**
 * A command to make Stripe take one API write. It carries only what that write changed (a create:
 * every field), so fields nobody touched in this write keep whatever Stripe holds. The command id
 * (envelope id) makes the idempotency keys, so a redelivered command sends the same fields again.
 */
export const CustomerRequestedPayload = z.preprocess(
  fromWholeRecordCommand,
  z.object({
    action: CustomerAction,
    customerId: z.uuid(),
    /** Increases with every write of the customer; sync results echo it so a stale result never wins. */
    version: z.number().int().positive(),
    /** Ours, confirmed by our create's result; null while it is not (none yet, or a claimant's provisional link). */
    stripeCustomerId: z.string().nullable(),
    changes: CustomerChanges,
    /** With no Stripe id: our create, through which the worker finds our customer. */
    ownCreate: OwnCreate.optional(),
  }),
);
export type CustomerRequestedPayload = z.infer<typeof CustomerRequestedPayload>;

/**
 * Commands written before issue 9 (still in the outbox or on the topic during an upgrade) carried
 * the whole record (`customer`) and `unsetMetadataKeys`: read as changes of every field, which is
 * what they meant.
 */
function fromWholeRecordCommand(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || 'changes' in value || !('customer' in value)) return value;
  const { customer, unsetMetadataKeys, ...rest } = value as {
    customer: { metadata?: unknown } & Record<string, unknown>;
    unsetMetadataKeys?: unknown;
  };
  const { metadata, ...fields } = customer ?? {};
  return { ...rest, changes: { fields, metadata: { set: metadata ?? {}, unset: unsetMetadataKeys ?? [] } } };
}

export const CustomerRequested = envelopeOf('customer.requested', CustomerRequestedPayload);
export type CustomerRequested = z.infer<typeof CustomerRequested>;
