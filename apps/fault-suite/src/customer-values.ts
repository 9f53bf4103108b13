import { userMetadataOf } from '@customer-sync/stripe-client';

/** The customer fields both sides hold, compared by the invariant checker. */
export interface CustomerValues {
  name: string | null;
  email: string | null;
  phone: string | null;
  description: string | null;
  metadata: Record<string, string>;
}

interface LooseCustomer {
  name?: string | null;
  email?: string | null;
  phone?: string | null;
  description?: string | null;
  metadata?: Record<string, string> | null;
}

const text = (value: string | null | undefined) =>
  value === undefined || value === null || value === '' ? null : value;

/**
 * The comparable values of a customer as the API, PostgreSQL or Stripe holds it: an empty string
 * counts as cleared (the worker clears with ''), emails compare lower-case, and our link key
 * (`metadata.customer_sync_id`) is not part of the customer's own metadata.
 */
export function valuesOf(customer: LooseCustomer): CustomerValues {
  const metadata = userMetadataOf(customer.metadata ?? {});
  return {
    name: text(customer.name),
    email: text(customer.email)?.toLowerCase() ?? null,
    phone: text(customer.phone),
    description: text(customer.description),
    metadata: Object.fromEntries(Object.entries(metadata).sort(([a], [b]) => a.localeCompare(b))),
  };
}

/** The fields whose values differ, each as `field: "a" ≠ "b"`; empty when equal. */
export function valueDiff(
  expected: CustomerValues,
  actual: CustomerValues,
  labels: [string, string] = ['expected', 'actual'],
): string[] {
  const diffs: string[] = [];
  for (const field of ['name', 'email', 'phone', 'description', 'metadata'] as const) {
    const a = JSON.stringify(expected[field]);
    const b = JSON.stringify(actual[field]);
    if (a !== b) diffs.push(`${field}: ${labels[0]} ${a} ≠ ${labels[1]} ${b}`);
  }
  return diffs;
}

/** Whether two customers hold the same values in every compared field. */
export const sameValues = (a: CustomerValues, b: CustomerValues): boolean => valueDiff(a, b).length === 0;
