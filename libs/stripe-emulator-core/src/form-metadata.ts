import type { Request } from 'express';
import { STRIPE_CUSTOMER_LIMITS } from '@customer-sync/contracts';
import { invalidParam } from './stripe-errors';

const decode = (part: string) => decodeURIComponent(part.replace(/\+/g, ' '));
const FORBIDDEN = STRIPE_CUSTOMER_LIMITS.metadata.keyForbiddenChars;

/**
 * Metadata read from the raw form body, as Stripe reads it. The generic form parser (qs) cannot be
 * used here: the SDK writes `[` and `]` unescaped, so a key `a]` arrives as `metadata[a]]` and qs
 * would quietly store it as `a`; and qs drops a `__proto__` key that Stripe keeps.
 *
 * @returns `''` for `metadata=` (clear all), the key/value pairs, or undefined when the body has none.
 * @throws StripeApiError parameter_invalid (param `metadata`) for a key with `[` or `]`.
 */
export function metadataFromForm(rawBody: string): Record<string, string> | '' | undefined {
  let metadata: Record<string, string> | '' | undefined;
  for (const pair of rawBody.split('&')) {
    const eq = pair.indexOf('=');
    const name = decode(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decode(pair.slice(eq + 1));
    if (name === 'metadata') metadata = value === '' ? '' : metadata;
    if (!name.startsWith('metadata[')) continue;
    const key = name.slice('metadata['.length, -1);
    if (!name.endsWith(']') || FORBIDDEN.some((c) => key.includes(c)))
      throw invalidParam('metadata', `Invalid metadata key: ${key.slice(0, 50)}; keys cannot contain [ or ]`);
    if (metadata === undefined || metadata === '') metadata = {};
    Object.defineProperty(metadata, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return metadata;
}

/** The parsed form params with metadata taken from the raw body (see metadataFromForm). */
export function customerParamsOf(req: Request): Record<string, unknown> {
  const params = { ...((req.body ?? {}) as Record<string, unknown>) };
  const raw = (req as Request & { rawBody?: string }).rawBody;
  if (raw === undefined) return params;
  const metadata = metadataFromForm(raw);
  if (metadata === undefined) delete params.metadata;
  else params.metadata = metadata;
  return params;
}
