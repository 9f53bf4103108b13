import { LINK_METADATA_KEY, type CustomerChanges } from '@customer-sync/contracts';

/** Sets an own property, so a metadata key named `__proto__` is a key like any other. */
const setOwn = (target: Record<string, string>, key: string, value: string) =>
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });

/**
 * A command's changes as Stripe parameters. Stripe rules (docs.stripe.com/api/customers/update,
 * /metadata): a parameter left out is left unchanged; `''` unsets a field; metadata is merged key by
 * key and a key set to `''` is removed. So only the fields and keys the write changed are sent, and
 * derived from the command alone, a retry sends the same ones. Our link key is written only where
 * the sync creates the customer: an update of a known Stripe id needs no link, and adding one to a
 * customer that came from Stripe holding 50 keys would make 51, which Stripe refuses.
 */
export function stripeParams(
  changes: CustomerChanges,
  customerId: string,
  options: { create: boolean },
): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(changes.fields)) {
    // An empty list (`preferred_locales: []`) is an empty value too: the SDK sends nothing for `[]`.
    if (value === null || value === undefined || (Array.isArray(value) && value.length === 0)) {
      if (!options.create) params[field] = '';
    } else params[field] = value;
  }
  const metadata: Record<string, string> = {};
  for (const key of changes.metadata.unset) setOwn(metadata, key, '');
  for (const [key, value] of Object.entries(changes.metadata.set)) setOwn(metadata, key, value);
  if (options.create) setOwn(metadata, LINK_METADATA_KEY, customerId);
  if (Object.keys(metadata).length > 0) params.metadata = metadata;
  return params;
}
