import {
  apiProfileOf,
  PROFILE_FIELD_NAMES,
  type Customer,
  type CustomerFields,
  type CustomerOrigin,
  type CustomerProfile,
  type SyncStatus,
} from '@customer-sync/contracts';

/** A customers row as PostgreSQL returns it. Profile columns are named as PROFILE_FIELDS. */
export interface CustomerRow extends CustomerProfile {
  id: string;
  metadata: Record<string, string>;
  stripe_customer_id: string | null;
  sync_status: SyncStatus;
  sync_error: string | null;
  origin: CustomerOrigin;
  version: number;
  /** Pending API writes: field name or `metadata.<key>` → version of the newest write of it not yet answered. */
  pending_fields: Record<string, number>;
  /** A Stripe write overlapped a pending one: refetch from Stripe once ours has settled. */
  refetch_on_settle: boolean;
  /** Lower-cased email the API set; unique among live rows. */
  email_claim: string | null;
  duplicate_of: string | null;
  inbound_error: string | null;
  stripe_event_created: number | null;
  stripe_event_id: string | null;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
  /** When Stripe deleted the customer (final: the row stays deleted and synced). */
  stripe_deleted_at: Date | null;
  /** When the API deleted the row (a deletion nothing undoes). */
  api_deleted_at: Date | null;
  /** The Stripe id is a claimant's, linked while our create was in flight; our create's result has not confirmed it. */
  link_provisional: boolean;
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
    duplicateOf: row.duplicate_of,
    inboundError: row.inbound_error,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    deletedAt: row.deleted_at ? row.deleted_at.toISOString() : null,
  };
}

/** The profile fields of a row. */
export function profileOf(row: CustomerProfile): CustomerProfile {
  return Object.fromEntries(PROFILE_FIELD_NAMES.map((f) => [f, row[f]])) as CustomerProfile;
}

/** Our customer fields as a create command carries them. */
export function toCustomerFields(row: CustomerRow): CustomerFields {
  return { ...profileOf(row), metadata: row.metadata };
}

/** Profile values as columns: JSON values (objects, arrays) go to jsonb columns as JSON text. */
export function profileColumns(fields: Partial<CustomerProfile>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(fields).map(([k, v]) => [k, v !== null && typeof v === 'object' ? JSON.stringify(v) : v]),
  );
}
