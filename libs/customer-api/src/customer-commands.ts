import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import {
  makeEnvelope,
  PROFILE_FIELD_NAMES,
  type CustomerAction,
  type CustomerChanges,
  type CustomerFields,
  type CustomerProfile,
  CustomerRequested,
  type CustomerRequestedPayload,
  type OwnCreate,
} from '@customer-sync/contracts';
import {
  addToOutbox,
  findLatestCreateCommand,
  markCustomerDeletedByApi,
  type OutboxEntry,
} from '@customer-sync/customer-api-data';
import type { CustomerRow } from '@customer-sync/db';
import type { Knex } from 'knex';

export interface CommandTarget {
  id: string;
  version: number;
  /** Ours, confirmed by our create's result; null otherwise. */
  stripeCustomerId: string | null;
  /** Without a confirmed Stripe id: our create, through which the worker finds our customer. */
  ownCreate?: OwnCreate;
}

/**
 * Where a command of `row` goes. A command acts only on the customer our own create made: its
 * Stripe id once our create's result confirmed it; before that (no id yet, or a claimant's
 * provisional link) no id, but our create command, which the worker replays under its idempotency
 * key to learn which customer Stripe made for it (docs/sync-rules.md, "The link").
 */
export async function commandTarget(db: Knex, row: CustomerRow): Promise<CommandTarget> {
  const target = { id: row.id, version: row.version };
  if (row.stripe_customer_id && !row.link_provisional) return { ...target, stripeCustomerId: row.stripe_customer_id };
  const message = await findLatestCreateCommand(db, row.id);
  const create = message === undefined ? undefined : CustomerRequested.parse(message);
  const ownCreate = create && { requestId: create.id, occurredAt: create.occurredAt, changes: create.payload.changes };
  return { ...target, stripeCustomerId: null, ...(ownCreate && { ownCreate }) };
}

/** The outbox entry of the command that carries one API write's changes to Stripe. */
export function customerRequestedEntry(
  topic: string,
  action: CustomerAction,
  target: CommandTarget,
  changes: CustomerChanges,
  correlationId: string,
): OutboxEntry {
  const { ownCreate } = target;
  const payload: CustomerRequestedPayload = {
    action,
    customerId: target.id,
    version: target.version,
    stripeCustomerId: target.stripeCustomerId,
    changes,
    ...(ownCreate && { ownCreate }),
  };
  const envelope = makeEnvelope('customer.requested', payload, { id: randomUUID(), correlationId });
  return { eventId: envelope.id, topic, key: target.id, message: envelope };
}

/**
 * Every field and metadata key of `fields` (a create, or a re-send after a failed sync); `previous`
 * names metadata keys to remove as well.
 */
export function allChanges(fields: CustomerFields, previous?: Record<string, string>): CustomerChanges {
  const { metadata, ...profile } = fields;
  return {
    fields: profile,
    metadata: { set: { ...metadata }, unset: Object.keys(previous ?? {}).filter((k) => !(k in metadata)) },
  };
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
export const isEmptyChange = (c: CustomerChanges) =>
  Object.keys(c.fields).length === 0 && Object.keys(c.metadata.set).length === 0 && c.metadata.unset.length === 0;

/**
 * Marks the row deleted by the API and queues its `delete` command in the same transaction.
 * Returns the row as marked. The caller holds the row lock and has checked it exists.
 */
export async function queueDeletion(
  trx: Knex,
  requestedTopic: string,
  id: string,
  correlationId: string,
): Promise<CustomerRow> {
  const row = await markCustomerDeletedByApi(trx, id);
  const target = await commandTarget(trx, row);
  const noChanges = { fields: {}, metadata: { set: {}, unset: [] } };
  await addToOutbox(trx, customerRequestedEntry(requestedTopic, 'delete', target, noChanges, correlationId));
  return row;
}
