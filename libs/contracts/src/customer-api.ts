import { z } from 'zod';
import { CustomerDescription, CustomerEmail, CustomerName, CustomerPhone, Metadata } from './customer-fields';
import { ProfileCreateFields, ProfileResponseFields, ProfileUpdateFields } from './profile-api';

export const CreateCustomerRequest = z.strictObject({
  name: CustomerName,
  email: CustomerEmail,
  phone: CustomerPhone.optional(),
  description: CustomerDescription.optional(),
  metadata: Metadata.optional(),
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
    metadata: Metadata.optional(),
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

export const CustomerIdParam = z.object({ id: z.uuid() });

export const ErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;
