import { STRIPE_ID_MAX_CHARS } from '@customer-sync/contracts';

/** An id field of an event that is longer than any Stripe id, and its length (never its value). */
export interface LongId {
  field: 'id' | 'data.object.id' | 'data.object.customer';
  length: number;
}

const tooLong = (value: unknown): value is string => typeof value === 'string' && value.length > STRIPE_ID_MAX_CHARS;

/**
 * The first id of a verified event body longer than Stripe's 255 characters: the event id, the
 * object's id and its owning customer (the Kafka partition key and database keys). Such an event
 * can only be forged or broken; checked before anything hashes, logs or stores the id.
 */
export function longIdOf(event: unknown): LongId | undefined {
  if (typeof event !== 'object' || event === null) return undefined;
  const { id, data } = event as { id?: unknown; data?: { object?: { id?: unknown; customer?: unknown } } };
  if (tooLong(id)) return { field: 'id', length: id.length };
  const object = typeof data === 'object' && data !== null ? data.object : undefined;
  if (typeof object !== 'object' || object === null) return undefined;
  if (tooLong(object.id)) return { field: 'data.object.id', length: object.id.length };
  if (tooLong(object.customer)) return { field: 'data.object.customer', length: object.customer.length };
  return undefined;
}
