import { isDeepStrictEqual } from 'node:util';

const isHash = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The `previous_attributes` of an update, as Stripe renders them: the old value of every changed
 * key; where a hash changed into a hash (address, shipping, shipping.address, metadata), only its
 * changed keys, recursively, a key that did not exist before shown as null (Stripe changelog
 * 2015-01-26, "previous_attributes now only render the differences to objects across updates").
 * Lists (preferred_locales) and hashes set from or to null appear whole.
 */
export function previousAttributes(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): Record<string, unknown> {
  const previous: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const old = before[key];
    const now = after[key];
    if (isDeepStrictEqual(old, now)) continue;
    previous[key] = isHash(old) && isHash(now) ? previousAttributes(old, now) : (old ?? null);
  }
  return previous;
}
