import { LINK_METADATA_KEY, type CustomerChanges } from '@customer-sync/contracts';

/**
 * A command's changes as Stripe parameters. Stripe rules (docs.stripe.com/api/customers/update,
 * /metadata): a parameter left out is left unchanged; `''` unsets a field; metadata is merged key by
 * key and a key set to `''` is removed. So only the fields and keys the write changed are sent, and
 * derived from the command alone, a retry sends the same ones. Every write also sets our link key.
 */
export function stripeParams(changes: CustomerChanges, customerId: string, options: { create: boolean }): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(changes.fields)) {
    if (value === null || value === undefined) {
      if (!options.create) params[field] = '';
    } else params[field] = value;
  }
  const metadata: Record<string, string> = {};
  for (const key of changes.metadata.unset) metadata[key] = '';
  Object.assign(metadata, changes.metadata.set, { [LINK_METADATA_KEY]: customerId });
  params.metadata = metadata;
  return params;
}
