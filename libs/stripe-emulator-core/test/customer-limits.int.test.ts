import { STRIPE_CUSTOMER_LIMITS as LIMITS } from '@customer-sync/contracts';
import { useTestEmulator } from './use-test-emulator';

const ctx = useTestEmulator();

type Params = Record<string, unknown>;
const keys = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v']));
/** `n` code points, each two UTF-16 units: a limit counted in units would refuse half of them. */
const emoji = (n: number) => '😀'.repeat(n);
const digits = (n: number) => '1'.repeat(n);
const address = (part: keyof typeof LIMITS.address, n: number) => ({ [part]: 'a'.repeat(n) });

/** [field, params at Stripe's limit, params one past it, the param Stripe names in its error]. */
const limitCases: [string, Params, Params, string][] = [
  ['name', { name: emoji(LIMITS.name.maxLength) }, { name: emoji(LIMITS.name.maxLength + 1) }, 'name'],
  [
    'email',
    { email: `${'a'.repeat(LIMITS.email.maxLength - 12)}@example.com` },
    { email: `${'a'.repeat(LIMITS.email.maxLength - 11)}@example.com` },
    'email',
  ],
  ['phone', { phone: digits(LIMITS.phone.maxLength) }, { phone: digits(LIMITS.phone.maxLength + 1) }, 'phone'],
  [
    'description',
    { description: emoji(LIMITS.description.maxLength) },
    { description: emoji(LIMITS.description.maxLength + 1) },
    'description',
  ],
  [
    'metadata key count',
    { metadata: keys(LIMITS.metadata.maxKeys) },
    { metadata: keys(LIMITS.metadata.maxKeys + 1) },
    'metadata',
  ],
  [
    'metadata key length',
    { metadata: { [emoji(LIMITS.metadata.keyMaxLength)]: 'v' } },
    { metadata: { [emoji(LIMITS.metadata.keyMaxLength + 1)]: 'v' } },
    'metadata',
  ],
  [
    'metadata value length',
    { metadata: { k: emoji(LIMITS.metadata.valueMaxLength) } },
    { metadata: { k: emoji(LIMITS.metadata.valueMaxLength + 1) } },
    'metadata[k]',
  ],
  ...(Object.keys(LIMITS.address) as (keyof typeof LIMITS.address)[]).map((part): [string, Params, Params, string] => [
    `address.${part}`,
    { address: address(part, LIMITS.address[part]) },
    { address: address(part, LIMITS.address[part] + 1) },
    'address',
  ]),
  [
    'shipping.name',
    { shipping: { name: 'a'.repeat(LIMITS.shipping.name), address: { line1: 'x' } } },
    { shipping: { name: 'a'.repeat(LIMITS.shipping.name + 1), address: { line1: 'x' } } },
    'shipping',
  ],
  [
    'shipping.phone',
    { shipping: { name: 'n', phone: '1'.repeat(LIMITS.shipping.phone), address: { line1: 'x' } } },
    { shipping: { name: 'n', phone: '1'.repeat(LIMITS.shipping.phone + 1), address: { line1: 'x' } } },
    'shipping',
  ],
  [
    'preferred_locales item',
    { preferred_locales: ['a'.repeat(LIMITS.preferredLocales.itemMaxLength)] },
    { preferred_locales: ['a'.repeat(LIMITS.preferredLocales.itemMaxLength + 1)] },
    'preferred_locales',
  ],
];

/** Params Stripe refuses whatever their length. */
const refusedCases: [string, Params, string][] = [
  ['a metadata key with [', { metadata: { 'a[b': 'v' } }, 'metadata'],
  ['a metadata key with ]', { metadata: { 'a]': 'v' } }, 'metadata'],
  ['a phone without a digit', { phone: '.....' }, 'phone'],
  ['a tax_exempt outside the enum', { tax_exempt: 'sometimes' }, 'tax_exempt'],
  ['shipping without a name', { shipping: { address: { line1: 'x' } } }, 'shipping'],
  ['shipping without an address', { shipping: { name: 'n' } }, 'shipping'],
  ['an unknown address part', { address: { street: 'x' } }, 'address'],
];

async function refusal(call: Promise<unknown>): Promise<{ statusCode?: number; code?: string; param?: string }> {
  try {
    await call;
  } catch (error) {
    return error as { statusCode?: number; code?: string; param?: string };
  }
  throw new Error('the emulator accepted what Stripe refuses');
}

describe('the emulator refuses what Stripe refuses, from STRIPE_CUSTOMER_LIMITS', () => {
  it.each(limitCases)(
    '%s: takes a value at the limit, refuses one past it with parameter_invalid',
    async (_field, atLimit, pastLimit, param) => {
      const created = await ctx.stripe.customers.create(atLimit);
      expect(created.id).toMatch(/^cus_/);

      expect(await refusal(ctx.stripe.customers.create(pastLimit))).toMatchObject({
        statusCode: 400,
        code: 'parameter_invalid',
        param: expect.stringContaining(param),
      });
      expect(await refusal(ctx.stripe.customers.update(created.id, pastLimit))).toMatchObject({
        statusCode: 400,
        code: 'parameter_invalid',
      });
    },
  );

  it.each(refusedCases)('%s: refused on create and update', async (_name, params, param) => {
    expect(await refusal(ctx.stripe.customers.create(params))).toMatchObject({
      statusCode: 400,
      param: expect.stringContaining(param),
    });
    const created = await ctx.stripe.customers.create({ name: 'x' });
    expect(await refusal(ctx.stripe.customers.update(created.id, params))).toMatchObject({ statusCode: 400 });
  });

  it('counts metadata keys after the merge: 50 held plus one new is refused, 50 held plus a change is taken', async () => {
    const created = await ctx.stripe.customers.create({ metadata: keys(LIMITS.metadata.maxKeys) });
    expect(await refusal(ctx.stripe.customers.update(created.id, { metadata: { extra: 'v' } }))).toMatchObject({
      statusCode: 400,
      param: 'metadata',
    });
    const renamed = await ctx.stripe.customers.update(created.id, { name: 'Renamed', metadata: { k0: 'changed' } });
    expect(renamed).toMatchObject({ name: 'Renamed', metadata: { k0: 'changed' } });
  });

  it('takes each tax_exempt value, and "" as none', async () => {
    for (const value of LIMITS.taxExempt.values)
      expect((await ctx.stripe.customers.create({ tax_exempt: value })).tax_exempt).toBe(value);
    expect((await ctx.stripe.customers.create({ tax_exempt: '' })).tax_exempt).toBe('none');
  });
});

describe('metadata keys Stripe takes as they are', () => {
  it('keeps a __proto__ key (a plain form parser would drop it)', async () => {
    const created = await ctx.stripe.customers.create({ metadata: JSON.parse('{"__proto__":"x","a":"b"}') });
    expect(Object.keys(created.metadata).sort()).toEqual(['__proto__', 'a']);
    expect(Object.getOwnPropertyDescriptor(created.metadata, '__proto__')?.value).toBe('x');
  });
});
