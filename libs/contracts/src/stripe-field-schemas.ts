import { z } from 'zod';
import { STRIPE_CUSTOMER_LIMITS as LIMITS, stripeLength } from './stripe-customer-limits';

/**
 * Zod building blocks for customer fields, made from STRIPE_CUSTOMER_LIMITS. Two layers:
 * - `stripe*` blocks: exactly Stripe's request rules (the emulator uses them, and the API builds on
 *   them); never the inward schemas, which take Stripe's objects as they are (InboundMetadata);
 * - `storable*` blocks: Stripe's rules plus what PostgreSQL `text`/`jsonb` can hold — no U+0000 and
 *   no unpaired UTF-16 surrogate (neither has a UTF-8 encoding PostgreSQL stores). The API uses these,
 *   so whatever it accepts can be stored and sent to Stripe unchanged.
 */

const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when PostgreSQL can store the string unchanged: no U+0000, no unpaired surrogate. */
export function isStorableText(value: string): boolean {
  return !value.includes('\u0000') && !UNPAIRED_SURROGATE.test(value);
}

/** A string of at most `maxLength` code points (Stripe's count). */
export function stripeText(maxLength: number) {
  // JSON Schema's maxLength counts code points too, so the OpenAPI document states the same rule.
  return z
    .string()
    .refine((s) => stripeLength(s) <= maxLength, {
      message: `must be at most ${maxLength} characters (Unicode code points)`,
    })
    .meta({ maxLength });
}

/** Any string PostgreSQL can store unchanged. */
export const StorableText = z
  .string()
  .refine(isStorableText, { message: 'must not contain U+0000 or an unpaired UTF-16 surrogate' });

/** Stripe's limit and storable in PostgreSQL: what the API accepts for a text field. */
export function storableStripeText(maxLength: number) {
  return stripeText(maxLength).pipe(StorableText);
}

const hasForbiddenKeyChar = (key: string) => LIMITS.metadata.keyForbiddenChars.some((c) => key.includes(c));

/** A metadata key as Stripe takes it: 1–40 code points, no `[` or `]`. */
export const StripeMetadataKey = z
  .string()
  .min(1, { message: 'must not be empty' })
  .pipe(stripeText(LIMITS.metadata.keyMaxLength))
  .refine((k) => !hasForbiddenKeyChar(k), { message: 'must not contain [ or ] (Stripe refuses them in keys)' });

/** A metadata value as Stripe holds it: at most 500 code points. */
export const StripeMetadataValue = stripeText(LIMITS.metadata.valueMaxLength);

/** The phone rule: Stripe's length, and at least one digit. */
export const StripePhone = stripeText(LIMITS.phone.maxLength).refine((p) => /[0-9]/.test(p), {
  message: 'must contain a digit',
});

/** One of Stripe's tax exemption values. */
export const StripeTaxExempt = z.enum(LIMITS.taxExempt.values);

/** An address as Stripe takes it (`address`, `shipping.address`): every part optional, each within its limit. */
export const StripeAddress = z.strictObject({
  line1: stripeText(LIMITS.address.line1).optional(),
  line2: stripeText(LIMITS.address.line2).optional(),
  city: stripeText(LIMITS.address.city).optional(),
  state: stripeText(LIMITS.address.state).optional(),
  postal_code: stripeText(LIMITS.address.postal_code).optional(),
  country: stripeText(LIMITS.address.country).optional(),
});

/** Shipping as Stripe takes it: name and address required, phone optional. */
export const StripeShipping = z.strictObject({
  name: stripeText(LIMITS.shipping.name),
  phone: stripeText(LIMITS.shipping.phone).optional(),
  address: StripeAddress,
});

/** Preferred locales: each at most 5000 code points. */
export const StripePreferredLocales = z.array(stripeText(LIMITS.preferredLocales.itemMaxLength));

const PROTO_KEY = '__proto__';
const hasProtoKey = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.hasOwn(v, PROTO_KEY);

/**
 * A metadata object of at most `maxKeys` keys. A `__proto__` key needs care: a plain assignment (and
 * zod's record) drops it silently, so it is either refused by name or copied over as an own property.
 */
function metadataRecord(
  key: z.ZodType<string>,
  value: z.ZodType<string>,
  maxKeys: number,
  protoKey: 'refuse' | 'keep',
) {
  const record = z.record(key, value);
  const limited = Number.isFinite(maxKeys);
  const documented = limited
    ? {
        type: 'object' as const,
        maxProperties: maxKeys,
        propertyNames: { minLength: 1, maxLength: LIMITS.metadata.keyMaxLength, pattern: '^[^\\[\\]]*$' },
        additionalProperties: { type: 'string' as const, maxLength: LIMITS.metadata.valueMaxLength },
      }
    : { type: 'object' as const, additionalProperties: { type: 'string' as const } };
  return z
    .unknown()
    .meta(documented)
    .transform((input, ctx): Record<string, string> => {
      const parsed = record.safeParse(input);
      if (!parsed.success) {
        for (const issue of parsed.error.issues)
          ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
        return z.NEVER;
      }
      const out = parsed.data;
      if (hasProtoKey(input)) {
        const protoValue = value.safeParse(input[PROTO_KEY]);
        if (protoKey === 'refuse' || !protoValue.success) {
          ctx.addIssue({
            code: 'custom',
            path: [PROTO_KEY],
            message: protoKey === 'refuse' ? 'the key __proto__ is reserved' : 'invalid value',
          });
          return z.NEVER;
        }
        Object.defineProperty(out, PROTO_KEY, {
          value: protoValue.data,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      if (Object.keys(out).length > maxKeys) {
        ctx.addIssue({ code: 'custom', path: [], message: `metadata has more than ${maxKeys} keys` });
        return z.NEVER;
      }
      return out;
    });
}

/** Metadata as Stripe holds it: at most 50 keys, Stripe's key and value rules; a `__proto__` key is kept. */
export const StripeMetadata = metadataRecord(StripeMetadataKey, StripeMetadataValue, LIMITS.metadata.maxKeys, 'keep');

/**
 * Metadata as a Stripe customer object carries it inward: any string keys and values, any number,
 * a `__proto__` key kept. Stripe's 50 keys / 40 / 500 / no `[ ]` are limits on the requests it
 * takes, not on what its objects hold (limits change over time, and older objects keep what was
 * allowed then), so db-writer stores whatever Stripe sends (docs/sync-rules.md, "Stripe's state is
 * never refused"); text PostgreSQL cannot hold is made storable by the storableText rule.
 */
export const InboundMetadata = metadataRecord(z.string(), z.string(), Number.POSITIVE_INFINITY, 'keep');

/**
 * Builds the API's metadata schema: Stripe's rules, storable text, no `""` value (to Stripe an empty
 * value means "delete this key", so it could never be held on both sides), no `__proto__` key, and
 * `maxKeys` user keys
 * (Stripe's 50 less the keys the sync adds itself).
 */
export function storableMetadata(maxKeys: number, reservedKeys: readonly string[]) {
  const key = StripeMetadataKey.pipe(StorableText).refine((k) => !reservedKeys.includes(k), {
    message: 'this key is reserved for the sync',
  });
  const value = StripeMetadataValue.pipe(StorableText).refine((v) => v !== '', {
    message: 'must not be empty (an empty value deletes the key in Stripe; leave the key out instead)',
  });
  return metadataRecord(key, value, maxKeys, 'refuse');
}
