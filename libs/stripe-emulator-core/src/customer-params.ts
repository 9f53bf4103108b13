import type { z } from 'zod';
import {
  STRIPE_CUSTOMER_LIMITS as LIMITS,
  StripeMetadataKey,
  StripeMetadataValue,
  StripePhone,
  stripeText,
} from '@customer-sync/contracts';
import { invalidParam } from './stripe-errors';

/**
 * Stripe's rule for each text parameter, from the shared limits table. `""` (unset) is not checked.
 * address, shipping, preferred_locales and tax_exempt are checked as they are parsed, against the
 * same table, with Stripe's own error codes (parameter_unknown, parameter_missing): see
 * customer-profile-params.ts.
 */
const PARAM_RULES: Record<string, z.ZodType> = {
  name: stripeText(LIMITS.name.maxLength),
  email: stripeText(LIMITS.email.maxLength),
  phone: StripePhone,
  description: stripeText(LIMITS.description.maxLength),
};

/** `address[line1]`: a param path as Stripe names it in errors. */
const paramName = (key: string, path: PropertyKey[]) => key + path.map((p) => `[${String(p)}]`).join('');

/**
 * Checks one customer parameter against Stripe's rule; `""` and null pass (they unset the field).
 * @throws StripeApiError 400 parameter_invalid naming the param (e.g. `address[line1]`).
 */
export function checkCustomerParam(key: string, value: unknown): void {
  const rule = PARAM_RULES[key];
  if (!rule || value === '' || value === null) return;
  const result = rule.safeParse(value);
  if (result.success) return;
  const issue = result.error.issues[0]!;
  throw invalidParam(paramName(key, issue.path), `Invalid ${paramName(key, issue.path)}: ${issue.message}`);
}

/**
 * Applies a metadata update as Stripe does: `""` clears all, an empty value deletes a key, and the
 * merged result may hold at most 50 keys; keys and values follow Stripe's rules.
 * @throws StripeApiError 400 parameter_invalid (`metadata` or `metadata[key]`).
 */
export function mergeMetadata(current: Record<string, string>, update: unknown): Record<string, string> {
  if (update === '') return {};
  if (typeof update !== 'object' || update === null || Array.isArray(update))
    throw invalidParam('metadata', 'Invalid hash');
  const next = { ...current };
  for (const [key, value] of Object.entries(update as Record<string, unknown>)) {
    if (!StripeMetadataKey.safeParse(key).success)
      throw invalidParam(
        'metadata',
        `Invalid metadata key: keys must be 1 to ${LIMITS.metadata.keyMaxLength} characters without [ or ]`,
      );
    if (value === '' || value === null) delete next[key];
    else if (!StripeMetadataValue.safeParse(value).success)
      throw invalidParam(
        `metadata[${key}]`,
        `Metadata values can have at most ${LIMITS.metadata.valueMaxLength} characters`,
      );
    else Object.defineProperty(next, key, { value, enumerable: true, writable: true, configurable: true });
  }
  if (Object.keys(next).length > LIMITS.metadata.maxKeys)
    throw invalidParam('metadata', `Metadata can have at most ${LIMITS.metadata.maxKeys} keys`);
  return next;
}
