/**
 * Stripe's limits on the customer parameters we send, in one table: the API validation and the
 * emulator read them from here, so a mismatch shows in tests. They are request limits: the inward
 * (Stripe → us) schemas never apply them (docs/sync-rules.md, "The inbound acceptance rule").
 *
 * Sources:
 * - `maxLength` values: the request bodies of `POST /v1/customers` and `POST /v1/customers/{customer}`
 *   in Stripe's OpenAPI definition (libs/testing/fixtures/stripe/openapi-customer-schema.json,
 *   spec 2023-08-16). Objects Stripe returns declare 5000 for every string; the request limits are
 *   the binding ones.
 * - metadata: https://docs.stripe.com/api/metadata — "up to 50 keys, with key names up to 40
 *   characters long and values up to 500 characters long … you can't use square brackets ([ and ])
 *   in keys"; an empty value unsets a key (the OpenAPI description of `metadata`).
 * - `phone` needs a digit: not in the OpenAPI; Stripe refuses such phones (seen in issue 10's run
 *   against Stripe, e.g. `"....."`).
 *
 * How lengths are counted: in Unicode code points (`[...s].length`), not UTF-16 code units
 * (`s.length`). Stripe states its limits as OpenAPI `maxLength`, and JSON Schema defines a string's
 * length as its number of characters per RFC 8259, i.e. code points (JSON Schema Validation 2020-12
 * §6.3.1). So an emoji is 1, not 2. Not verified against live Stripe; the emulator counts the same way.
 *
 * To add a field: add its row here, then its zod block in stripe-field-schemas.ts.
 */
export const STRIPE_CUSTOMER_LIMITS = {
  name: { maxLength: 256 },
  email: { maxLength: 512 },
  phone: { maxLength: 20, needsDigit: true },
  description: { maxLength: 5000 },
  metadata: {
    maxKeys: 50,
    keyMaxLength: 40,
    valueMaxLength: 500,
    /** Characters Stripe refuses in a key: they are its form-encoding's nesting syntax. */
    keyForbiddenChars: ['[', ']'],
  },
  /** `tax_exempt`: `""` in a request means "none"; objects hold one of the three values. */
  taxExempt: { values: ['none', 'exempt', 'reverse'] },
  /** `address` and `shipping.address`: every part optional, 5000 each. */
  address: { line1: 5000, line2: 5000, city: 5000, state: 5000, postal_code: 5000, country: 5000 },
  /** `shipping`: name and address required when shipping is set; phone optional. */
  shipping: { name: 5000, phone: 5000 },
  /** `preferred_locales`: an array of locale strings, each up to 5000. */
  preferredLocales: { itemMaxLength: 5000 },
} as const;

/** The tax exemption values Stripe accepts (`STRIPE_CUSTOMER_LIMITS.taxExempt.values`). */
export type StripeTaxExemptValue = (typeof STRIPE_CUSTOMER_LIMITS.taxExempt.values)[number];

/** A string's length as Stripe counts it: Unicode code points (see the table's doc comment). */
export function stripeLength(value: string): number {
  let count = 0;
  for (const _ of value) count++;
  return count;
}
