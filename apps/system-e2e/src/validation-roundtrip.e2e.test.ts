import fc from 'fast-check';
import { API_METADATA_MAX_KEYS, STRIPE_CUSTOMER_LIMITS as LIMITS } from '@customer-sync/contracts';
import { waitFor } from '@customer-sync/testing';
import { settledCustomer } from './api-client';
import { useSystem } from './use-system';

const ctx = useSystem();

interface Sent {
  name: string;
  email: string;
  phone?: string;
  description?: string;
  metadata?: Record<string, string>;
}

let sequence = 0;
const uniqueEmail = () => `roundtrip-${Date.now().toString(36)}-${sequence++}@example.com`;

/**
 * POSTs a customer; a 400 is returned as is. Otherwise waits until it is synced and Stripe's own
 * customer.created event has come back through the ingress and db-writer, and returns the API's
 * view and Stripe's.
 */
async function roundTrip(body: Sent) {
  const created = await ctx.api.create(body);
  if (created.status === 400) {
    return { status: 400 as const };
  }
  expect(created.status).toBe(202);
  const id = created.body.id as string;
  await waitFor(
    async () => {
      const row = await ctx.system.database.db('customers').where({ id }).first();
      return row?.sync_status !== 'pending' && row?.stripe_event_id ? row : undefined;
    },
    { what: `customer ${id} synced and its Stripe event applied`, timeoutMs: 30_000 },
  );
  const viaApi = (await ctx.api.get(id)).body;
  const inStripe = (await ctx.system.stripe.customers.retrieve(viaApi.stripeCustomerId)) as unknown as Record<
    string,
    unknown
  >;
  return { status: 202 as const, viaApi, inStripe, id };
}

function expectUnchanged(result: Awaited<ReturnType<typeof roundTrip>>, sent: Sent) {
  if (result.status !== 202) throw new Error('expected the customer to be accepted');
  const expected = {
    name: sent.name,
    email: sent.email,
    phone: sent.phone ?? null,
    description: sent.description ?? null,
    metadata: sent.metadata ?? {},
  };
  expect(result.viaApi).toMatchObject({ ...expected, syncStatus: 'synced' });
  expect(result.inStripe).toMatchObject({
    ...expected,
    metadata: { ...expected.metadata, customer_sync_id: result.id },
  });
}

const keys = (n: number, value = 'v') => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, value]));
const emoji = (n: number) => '😀'.repeat(n);

/** [field, a customer at Stripe's limit, the same one past it]. Emoji count as one (code points). */
const limits: [string, Sent, Sent][] = [
  ['name', { name: emoji(LIMITS.name.maxLength), email: '' }, { name: emoji(LIMITS.name.maxLength + 1), email: '' }],
  [
    'phone',
    { name: 'P', email: '', phone: '+'.concat('1'.repeat(LIMITS.phone.maxLength - 1)) },
    { name: 'P', email: '', phone: '1'.repeat(LIMITS.phone.maxLength + 1) },
  ],
  [
    'description',
    { name: 'D', email: '', description: emoji(LIMITS.description.maxLength) },
    { name: 'D', email: '', description: emoji(LIMITS.description.maxLength + 1) },
  ],
  [
    'metadata key count',
    { name: 'M', email: '', metadata: keys(API_METADATA_MAX_KEYS) },
    { name: 'M', email: '', metadata: keys(API_METADATA_MAX_KEYS + 1) },
  ],
  [
    'metadata key length',
    { name: 'K', email: '', metadata: { [emoji(LIMITS.metadata.keyMaxLength)]: 'v' } },
    { name: 'K', email: '', metadata: { [emoji(LIMITS.metadata.keyMaxLength + 1)]: 'v' } },
  ],
  [
    'metadata value length',
    { name: 'V', email: '', metadata: { k: emoji(LIMITS.metadata.valueMaxLength) } },
    { name: 'V', email: '', metadata: { k: emoji(LIMITS.metadata.valueMaxLength + 1) } },
  ],
];

describe('every field at Stripe’s limit is accepted and synced; one past it is refused up front', () => {
  it.each(limits)('%s', async (_field, atLimit, pastLimit) => {
    const email = uniqueEmail();
    expectUnchanged(await roundTrip({ ...atLimit, email }), { ...atLimit, email });
    const before = await ctx.system.database.db('customers').count('* as n').first();
    expect((await roundTrip({ ...pastLimit, email: uniqueEmail() })).status).toBe(400);
    expect(await ctx.system.database.db('customers').count('* as n').first()).toEqual(before);
  });

  it('email at 512 characters', async () => {
    const email = `${'a'.repeat(64)}@${['b', 'c', 'd', 'e', 'f', 'g'].map((c) => c.repeat(63)).join('.')}.${'i'.repeat(LIMITS.email.maxLength - 64 - 1 - 6 * 64)}`;
    expect(email).toHaveLength(LIMITS.email.maxLength);
    expectUnchanged(await roundTrip({ name: 'E', email }), { name: 'E', email });
    expect((await roundTrip({ name: 'E', email: `x${email}` })).status).toBe(400);
  });
});

describe('any string fast-check makes is refused with 400 or round-trips unchanged API → PostgreSQL → Stripe → API', () => {
  // Mostly text Stripe takes, so both outcomes are common; the rest reaches NUL, lone surrogates and brackets.
  const text = (maxLength: number) =>
    fc.oneof(
      { weight: 4, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength }) },
      { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength }) },
      {
        weight: 1,
        arbitrary: fc.string({
          unit: fc.constantFrom('a', ' ', '😀', '\u0000', '\ud800', '[', ']', 'é', '\u200b', '"', '\\', '&', '='),
          maxLength,
        }),
      },
    );
  const phone = fc.oneof(
    {
      weight: 3,
      arbitrary: fc.string({
        unit: fc.constantFrom('1', '2', '+', ' ', '(', ')', '-', '.'),
        minLength: 1,
        maxLength: 22,
      }),
    },
    { weight: 1, arbitrary: text(22) },
  );
  const customer = fc.record({
    name: text(40),
    description: fc.option(text(60), { nil: undefined }),
    phone: fc.option(phone, { nil: undefined }),
    metadata: fc.option(fc.dictionary(text(12), text(20), { maxKeys: 4 }), { nil: undefined }),
  });

  it('holds for every generated customer', async () => {
    const outcomes = { accepted: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(customer, async (generated) => {
        const sent: Sent = { ...generated, email: uniqueEmail() };
        const result = await roundTrip(sent);
        outcomes[result.status === 202 ? 'accepted' : 'refused']++;
        if (result.status === 202) expectUnchanged(result, sent);
      }),
      { numRuns: 40 },
    );
    // Both branches of the property were exercised.
    expect(outcomes.accepted).toBeGreaterThan(5);
    expect(outcomes.refused).toBeGreaterThan(5);
  }, 300_000);
});

describe('a customer that came from Stripe holding 50 metadata keys', () => {
  it('can be renamed through the API, and Stripe keeps its 50 keys', async () => {
    const fifty = keys(LIMITS.metadata.maxKeys);
    const inStripe = await ctx.system.stripe.customers.create({
      name: 'From Stripe',
      email: uniqueEmail(),
      metadata: fifty,
    });
    const row = await waitFor(
      () => ctx.system.database.db('customers').where({ stripe_customer_id: inStripe.id }).first(),
      { what: 'the Stripe customer in our database', timeoutMs: 30_000 },
    );

    const renamed = await ctx.api.update(row.id, { name: 'Renamed' });
    expect(renamed.status).toBe(202);

    const synced = await settledCustomer(ctx.api, row.id, 'rename synced');
    expect(synced).toMatchObject({ syncStatus: 'synced', name: 'Renamed', metadata: fifty });
    expect(await ctx.system.stripe.customers.retrieve(inStripe.id)).toMatchObject({ name: 'Renamed', metadata: fifty });
  });
});
