import fc from 'fast-check';
import {
  API_METADATA_MAX_KEYS,
  CreateCustomerRequest,
  STRIPE_CUSTOMER_LIMITS as LIMITS,
  stripeLength,
  UpdateCustomerRequest,
} from './index';

/** An oracle written apart from the schemas: what PostgreSQL can store and Stripe takes. */
const storable = (s: string) => !s.includes('\u0000') && Buffer.from(s, 'utf8').toString('utf8') === s;
const withinStripe = (s: string, max: number) => stripeLength(s) <= max;

/** Strings of any code units (NUL and lone surrogates included), plus emoji and edge characters. */
const anyText = (maxLength: number) =>
  fc.oneof(
    fc.string({ unit: 'binary', maxLength }),
    fc.string({ unit: 'grapheme', maxLength }),
    fc.string({
      unit: fc.constantFrom('a', ' ', '😀', '\u0000', '\ud800', '\udc00', '[', ']', 'é', '\u200b'),
      maxLength,
    }),
  );

const base = { name: 'Jenny', email: 'jenny@example.com' };
const runs = { numRuns: 200 };

describe('validation of any string (fast-check)', () => {
  it('name: refused, or kept exactly as sent — never changed', () => {
    fc.assert(
      fc.property(anyText(300), (name) => {
        const parsed = CreateCustomerRequest.safeParse({ ...base, name });
        const ok = storable(name) && withinStripe(name, LIMITS.name.maxLength) && name.trim() !== '';
        expect(parsed.success).toBe(ok);
        if (parsed.success) expect(parsed.data.name).toBe(name);
      }),
      runs,
    );
  });

  it('description: refused, or kept exactly as sent', () => {
    fc.assert(
      fc.property(anyText(LIMITS.description.maxLength + 50), (description) => {
        const parsed = UpdateCustomerRequest.safeParse({ description });
        expect(parsed.success).toBe(
          description !== '' && storable(description) && withinStripe(description, LIMITS.description.maxLength),
        );
        if (parsed.success) expect(parsed.data.description).toBe(description);
      }),
      { numRuns: 100 },
    );
  });

  it('phone: accepted only within Stripe’s 20 characters with a digit, and kept exactly', () => {
    fc.assert(
      fc.property(
        fc.oneof(anyText(30), fc.string({ unit: fc.constantFrom('1', '+', ' ', '(', ')', '-', '.'), maxLength: 25 })),
        (phone) => {
          const parsed = UpdateCustomerRequest.safeParse({ phone });
          if (parsed.success) {
            expect(parsed.data.phone).toBe(phone);
            expect(withinStripe(phone, LIMITS.phone.maxLength) && /\d/.test(phone)).toBe(true);
          }
        },
      ),
      runs,
    );
  });

  it('metadata: refused, or every key and value kept exactly, within what Stripe takes with the sync’s key added', () => {
    const entry = fc.tuple(anyText(45), anyText(20));
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 55 }), (entries) => {
        const metadata = Object.fromEntries(entries);
        const parsed = UpdateCustomerRequest.safeParse({ metadata });
        const keys = Object.keys(metadata);
        const ok =
          keys.length <= API_METADATA_MAX_KEYS &&
          keys.every(
            (k) =>
              k !== '' &&
              storable(k) &&
              withinStripe(k, LIMITS.metadata.keyMaxLength) &&
              !/[[\]]/.test(k) &&
              k !== 'customer_sync_id',
          ) &&
          Object.values(metadata).every(
            (v) => v !== '' && storable(v) && withinStripe(v, LIMITS.metadata.valueMaxLength),
          );
        expect(parsed.success).toBe(ok);
        if (parsed.success) expect(parsed.data.metadata).toEqual(metadata);
      }),
      runs,
    );
  });
});
