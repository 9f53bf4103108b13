import { z } from 'zod';
import { CustomerDescription, CustomerEmail, CustomerName, CustomerPhone, Metadata } from './customer-fields';
import { LINK_METADATA_KEY } from './customer-profile';
import { ProfileCreateFields, ProfileResponseFields, ProfileUpdateFields } from './profile-api';

/** User metadata: Stripe's limits, and never the sync's reserved link key. */
const UserMetadata = Metadata.refine((m) => !(LINK_METADATA_KEY in m), {
  message: `${LINK_METADATA_KEY} is reserved for the link to Stripe`,
  path: [LINK_METADATA_KEY],
});

export const CreateCustomerRequest = z.strictObject({
  name: CustomerName,
  email: CustomerEmail,
  phone: CustomerPhone.optional(),
  description: CustomerDescription.optional(),
  metadata: UserMetadata.optional(),
  ...ProfileCreateFields,
});
export type CreateCustomerRequest = z.infer<typeof CreateCustomerRequest>;

/**
 * Every field optional; `null` clears phone, description, address and shipping; address and shipping
 * are merged part by part (see ProfileUpdateFields). At least one field is required.
 */
export const UpdateCustomerRequest = z
  .strictObject({
    name: CustomerName.optional(),
    email: CustomerEmail.optional(),
    phone: CustomerPhone.nullable().optional(),
    description: CustomerDescription.nullable().optional(),
    metadata: UserMetadata.optional(),
    ...ProfileUpdateFields,
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'at least one field is required' });
export type UpdateCustomerRequest = z.infer<typeof UpdateCustomerRequest>;

export const SyncStatus = z.enum(['pending', 'synced', 'failed']);
export type SyncStatus = z.infer<typeof SyncStatus>;
export const CustomerOrigin = z.enum(['api', 'stripe']);
export type CustomerOrigin = z.infer<typeof CustomerOrigin>;

export const Customer = z.object({
  id: z.uuid(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  description: z.string().nullable(),
  metadata: z.record(z.string(), z.string()),
  ...ProfileResponseFields,
  stripeCustomerId: z.string().nullable(),
  syncStatus: SyncStatus,
  syncError: z.string().nullable(),
  origin: CustomerOrigin,
  /** Set on a row made for a second Stripe customer that claimed an already linked row (its id). */
  duplicateOf: z.uuid().nullable(),
  /** Why the last Stripe event of this customer could not be stored; cleared by the next refetch or reconcile. */
  inboundError: z.string().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  deletedAt: z.iso.datetime().nullable(),
});
export type Customer = z.infer<typeof Customer>;

export const ListCustomersQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().min(1).optional(),
  email: CustomerEmail.optional(),
});
export type ListCustomersQuery = z.infer<typeof ListCustomersQuery>;

export const CustomerList = z.object({ data: z.array(Customer), nextCursor: z.string().nullable() });
export type CustomerList = z.infer<typeof CustomerList>;

/** One entry of a customer's history: an API write (with its command), a sync result or a Stripe event and its outcome. */
export const HistoryEntry = z.object({
  at: z.iso.datetime(),
  kind: z.enum(['api-write', 'sync-result', 'stripe-event']),
  /** Command id, sync result id or Stripe event id. */
  id: z.string(),
  /** api-write: create/update/delete; stripe-event: the event type; sync-result: the action answered. */
  type: z.string().nullable(),
  /** sync-result: synced/failed/deleted_in_stripe; stripe-event: applied, applied-from-stripe, stale, superseded, conflict, ignored… */
  outcome: z.string().nullable(),
  detail: z.unknown(),
});
export type HistoryEntry = z.infer<typeof HistoryEntry>;

export const HistoryQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().min(1).optional(),
});
export type HistoryQuery = z.infer<typeof HistoryQuery>;

export const CustomerHistory = z.object({ data: z.array(HistoryEntry), nextCursor: z.string().nullable() });
export type CustomerHistory = z.infer<typeof CustomerHistory>;

export const CustomerIdParam = z.object({ id: z.uuid() });

export const ErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;
