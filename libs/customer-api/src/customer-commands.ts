import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import {
  makeEnvelope,
  PROFILE_FIELD_NAMES,
  type CustomerAction,
  type CustomerChanges,
  type CustomerFields,
  type CustomerProfile,
  type CustomerRequestedPayload,
} from '@customer-sync/contracts';
import type { OutboxEntry } from '@customer-sync/customer-api-data';

export interface CommandTarget {
  id: string;
  version: number;
  stripeCustomerId: string | null;
}

/** The outbox entry of the command that carries one API write's changes to Stripe. */
export function customerRequestedEntry(topic: string, action: CustomerAction, target: CommandTarget, changes: CustomerChanges, correlationId: string): OutboxEntry {
  const payload: CustomerRequestedPayload = { action, customerId: target.id, version: target.version, stripeCustomerId: target.stripeCustomerId, changes };
  const envelope = makeEnvelope('customer.requested', payload, { id: randomUUID(), correlationId });
  return { eventId: envelope.id, topic, key: target.id, message: envelope };
}

/**
 * Every field and metadata key of `fields` (a create, or a re-send after a failed sync); `previous`
 * names metadata keys to remove as well.
 */
export function allChanges(fields: CustomerFields, previous?: Record<string, string>): CustomerChanges {
  const { metadata, ...profile } = fields;
  return { fields: profile, metadata: { set: { ...metadata }, unset: Object.keys(previous ?? {}).filter((k) => !(k in metadata)) } };
}

/** Deep equality regardless of key order (jsonb returns an address's keys in its own order). */
const same = (a: unknown, b: unknown) => isDeepStrictEqual(a, b);

/**
 * What a write changed, field by field: profile fields whose value differs from ours, metadata keys
 * set to a new value and keys removed. Values equal to ours are not sent: re-sending them would
 * overwrite an edit made in Stripe that the writer never saw.
 */
export function diffChanges(current: CustomerFields, next: CustomerFields): CustomerChanges {
  const fields: Partial<CustomerProfile> = {};
  for (const f of PROFILE_FIELD_NAMES) if (!same(current[f], next[f])) (fields as Record<string, unknown>)[f] = next[f];
  const set = Object.fromEntries(Object.entries(next.metadata).filter(([k, v]) => current.metadata[k] !== v));
  const unset = Object.keys(current.metadata).filter((k) => !(k in next.metadata));
  return { fields, metadata: { set, unset } };
}

/** A write that changes nothing: no command is queued for it. */
export const isEmptyChange = (c: CustomerChanges) => Object.keys(c.fields).length === 0 && Object.keys(c.metadata.set).length === 0 && c.metadata.unset.length === 0;
