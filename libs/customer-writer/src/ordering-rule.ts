/**
 * The ordering rule for Stripe events, per customer:
 * - a deletion always applies (Stripe never changes a deleted customer, so it is the final state);
 * - a row that is deleted is never changed again (no resurrection by a late update);
 * - otherwise an event applies only if its `created` is newer than the stored event's;
 * - an older event is stale and ignored;
 * - an event with the same `created` second as the stored one (or as another event of the same
 *   customer in one batch) is a tie: Stripe's current object is fetched and applied instead.
 * An event that applies is merged field by field (mergeInbound): fields an API write still has
 * pending keep our value, and are refetched once it settles when Stripe's value differs.
 */
export type Decision = 'insert' | 'apply' | 'stale' | 'ignore-deleted' | 'tie';

export interface StoredStamp {
  created: number | null;
  deleted: boolean;
}

export interface IncomingStamp {
  created: number;
  deleted: boolean;
  /** Another event of this customer in the same batch shares the winning second. */
  tiedInBatch?: boolean;
}

export function decide(stored: StoredStamp | undefined, incoming: IncomingStamp): Decision {
  if (stored?.deleted) return 'ignore-deleted';
  if (incoming.deleted) return stored ? 'apply' : 'insert';
  if (stored && stored.created !== null && incoming.created < stored.created) return 'stale';
  if (incoming.tiedInBatch) return 'tie';
  if (!stored) return 'insert';
  return stored.created === null || incoming.created > stored.created ? 'apply' : 'tie';
}
