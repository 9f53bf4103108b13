import { apiProfileOf, type AddressValue, type Customer, type CustomerFields, type CustomerOrigin, type ShippingValue, type SyncStatus } from '@customer-sync/contracts';
import { profileOfRow } from './profile-columns';

/** A customers row as PostgreSQL returns it. */
export interface CustomerRow {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  description: string | null;
  metadata: Record<string, string>;
  address: AddressValue | null;
  shipping: ShippingValue | null;
  preferred_locales: string[];
  tax_exempt: string | null;
  stripe_customer_id: string | null;
  sync_status: SyncStatus;
  sync_error: string | null;
  origin: CustomerOrigin;
  version: number;
  stripe_event_created: number | null;
  stripe_event_id: string | null;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
}

export function toCustomer(row: CustomerRow): Customer {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    phone: row.phone,
    description: row.description,
    metadata: row.metadata,
    ...apiProfileOf(row),
    stripeCustomerId: row.stripe_customer_id,
    syncStatus: row.sync_status,
    syncError: row.sync_error,
    origin: row.origin,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    deletedAt: row.deleted_at ? row.deleted_at.toISOString() : null,
  };
}

/** Our customer fields as a command to Stripe carries them. */
export function toCustomerFields(row: CustomerRow): CustomerFields {
  return {
    name: row.name,
    email: row.email,
    phone: row.phone,
    description: row.description,
    metadata: row.metadata,
    ...profileOfRow(row),
  };
}
