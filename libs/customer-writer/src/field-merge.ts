import { isDeepStrictEqual } from 'node:util';
import { PROFILE_FIELD_NAMES, pendingKeyOf, type CustomerProfile } from '@customer-sync/contracts';

/** Pending API writes of a row: pending key (see pendingKeyOf) → version of the newest write of it. */
export type PendingWrites = Record<string, number>;

/** A customer's synced state: profile fields and user metadata. */
export interface SyncedState {
  fields: CustomerProfile;
  metadata: Record<string, string>;
}

export interface MergeInput {
  row: SyncedState & { pending: PendingWrites };
  /** Stripe's state as the event (or a refetch) carries it, already storable and without link keys. */
  incoming: SyncedState;
  /** Pending keys the event changed (from `previous_attributes`); undefined when unknown (a created event, a refetch). */
  changed?: Set<string>;
  /** The event is the echo of one of our own commands (its request's idempotency key is ours). */
  ownWrite: boolean;
}

export interface MergeResult extends SyncedState {
  /** Pending keys another writer changed in Stripe too (recorded as a conflict): the order of the two writes in Stripe decides. */
  conflicts: string[];
  /**
   * Pending keys the row keeps although Stripe's value differs (conflicts included): whether our write
   * reached Stripe before or after the state this carries is unknown here, so the row is refetched
   * once ours settles. Events that would tell may never apply: the stamp has moved past them.
   */
  unsettled: string[];
}

/** Deep equality regardless of key order (jsonb returns an address's keys in its own order). */
const same = (a: unknown, b: unknown) => isDeepStrictEqual(a, b);
const own = (o: Record<string, string>, k: string) => (Object.hasOwn(o, k) ? o[k] : undefined);

/**
 * The field-level inward merge of one Stripe state into a row that Stripe's ordering rule says is
 * older: every field and metadata key takes Stripe's value, except those an API write still on its
 * way to Stripe touches — that write reaches Stripe after this state, so the row keeps it.
 * A pending key that this state also changed (and that is not our own echo) is a conflict. Any
 * pending key whose value here differs from ours is unsettled, echo or not, whatever
 * `previous_attributes` says: that only names what the one event changed, not what earlier events
 * (held back, superseded, or stale once this one applies) changed after our write reached Stripe.
 */
export function mergeInbound({ row, incoming, changed, ownWrite }: MergeInput): MergeResult {
  const fields = { ...row.fields };
  const conflicts: string[] = [];
  const unsettled: string[] = [];
  const keepOurs = (key: string, ours: unknown, theirs: unknown) => {
    const differs = !same(ours, theirs);
    const conflict = !ownWrite && (changed ? changed.has(key) : differs);
    if (conflict) conflicts.push(key);
    if (conflict || differs) unsettled.push(key);
  };
  for (const field of PROFILE_FIELD_NAMES) {
    const key = pendingKeyOf.field(field);
    if (!(key in row.pending)) (fields as Record<string, unknown>)[field] = incoming.fields[field];
    else keepOurs(key, row.fields[field], incoming.fields[field]);
  }
  // Built from entries, so a metadata key named `__proto__` stays an ordinary own key.
  const entries: [string, string][] = [];
  for (const k of new Set([...Object.keys(row.metadata), ...Object.keys(incoming.metadata)])) {
    const key = pendingKeyOf.metadata(k);
    const pending = Object.hasOwn(row.pending, key);
    const source = pending ? row.metadata : incoming.metadata;
    if (Object.hasOwn(source, k)) entries.push([k, source[k]!]);
    if (pending) keepOurs(key, own(row.metadata, k), own(incoming.metadata, k));
  }
  return { fields, metadata: Object.fromEntries(entries), conflicts, unsettled };
}

/** The pending keys an event's `previous_attributes` says it changed (Stripe lists old values of changed keys; added metadata keys as null). */
export function changedKeysOf(previous: Record<string, unknown> | undefined): Set<string> | undefined {
  if (!previous) return undefined;
  const keys = new Set<string>();
  for (const field of PROFILE_FIELD_NAMES) if (field in previous) keys.add(pendingKeyOf.field(field));
  const metadata = previous.metadata;
  if (metadata && typeof metadata === 'object')
    for (const k of Object.keys(metadata)) keys.add(pendingKeyOf.metadata(k));
  return keys;
}

/** Pending writes left once a sync result of `version` has answered: those of newer writes. */
export function settlePending(pending: PendingWrites, version: number): PendingWrites {
  return Object.fromEntries(Object.entries(pending).filter(([, v]) => v > version));
}
