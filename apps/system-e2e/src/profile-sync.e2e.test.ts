import { emulatorControl } from '@customer-sync/stripe-emulator-core';
import { waitFor } from '@customer-sync/testing';
import { settledCustomer } from './api-client';
import { useSystem } from './use-system';

const ctx = useSystem();

const paris = { line1: '1 Rue de Rivoli', city: 'Paris', postalCode: '75001', country: 'FR' };
const parisInStripe = {
  line1: '1 Rue de Rivoli',
  line2: null,
  city: 'Paris',
  state: null,
  postal_code: '75001',
  country: 'FR',
};
const parisAnswered = { ...paris, line2: null, state: null };

type StripeProfile = {
  address: unknown;
  shipping: unknown;
  preferred_locales: unknown;
  tax_exempt: unknown;
  deleted?: boolean;
};

const synced = (id: string) => settledCustomer(ctx.api, id);

const inStripe = async (stripeId: string) =>
  (await ctx.system.stripe.customers.retrieve(stripeId)) as unknown as StripeProfile;

/** Waits until the API answers the customer with the given profile values. */
const answered = (id: string, expected: Record<string, unknown>) =>
  waitFor(
    async () => {
      const { body } = await ctx.api.get(id);
      return Object.entries(expected).every(([k, v]) => JSON.stringify(body[k]) === JSON.stringify(v))
        ? body
        : undefined;
    },
    { what: `customer ${id} answered with ${JSON.stringify(expected)}`, timeoutMs: 30_000 },
  );

describe('outward: the profile from the API to Stripe', () => {
  it('creates the Stripe customer with address, shipping, locales and tax exemption', async () => {
    const created = await ctx.api.create({
      name: 'Ada',
      email: 'ada.profile@example.com',
      address: paris,
      shipping: { name: 'Ada Lovelace', phone: '+33123456789', address: paris },
      preferredLocales: ['fr-FR', 'en'],
      taxExempt: 'exempt',
    });
    expect(created.status).toBe(202);
    const { stripeCustomerId, syncStatus } = await synced(created.body.id);
    expect(syncStatus).toBe('synced');
    expect(await inStripe(stripeCustomerId)).toMatchObject({
      address: parisInStripe,
      shipping: { name: 'Ada Lovelace', phone: '+33123456789', address: parisInStripe },
      preferred_locales: ['fr-FR', 'en'],
      tax_exempt: 'exempt',
    });
  });

  it('carries a nested partial PATCH and removals to Stripe, other parts untouched', async () => {
    const created = await ctx.api.create({
      name: 'Grace',
      email: 'grace.profile@example.com',
      address: paris,
      shipping: { name: 'Grace', address: paris },
      preferredLocales: ['en'],
    });
    const { stripeCustomerId } = await synced(created.body.id);

    await ctx.api.update(created.body.id, {
      address: { city: 'Lyon', line2: 'Apt 4' },
      shipping: { phone: '+33100000000' },
    });
    await waitFor(async () => ((await inStripe(stripeCustomerId)).address as { city?: string })?.city === 'Lyon', {
      what: 'address in Stripe',
    });
    expect(await inStripe(stripeCustomerId)).toMatchObject({
      address: { ...parisInStripe, city: 'Lyon', line2: 'Apt 4' },
      shipping: { name: 'Grace', phone: '+33100000000', address: parisInStripe },
      preferred_locales: ['en'],
    });

    await ctx.api.update(created.body.id, {
      address: null,
      shipping: null,
      preferredLocales: [],
      taxExempt: 'reverse',
    });
    await waitFor(async () => (await inStripe(stripeCustomerId)).tax_exempt === 'reverse', {
      what: 'removals in Stripe',
    });
    expect(await inStripe(stripeCustomerId)).toMatchObject({
      address: null,
      shipping: null,
      preferred_locales: [],
      tax_exempt: 'reverse',
    });
    expect((await synced(created.body.id)).syncStatus).toBe('synced');
  });
});

describe('inward: the profile from Stripe to the API', () => {
  it('shows an address and shipping edited in Stripe, without sending anything back', async () => {
    const created = await ctx.api.create({ name: 'Dash', email: 'dash.profile@example.com', address: paris });
    const { stripeCustomerId } = await synced(created.body.id);
    const outboxBefore = Number((await ctx.system.database.db('outbox').count('* as n').first())!.n);

    await ctx.system.stripe.customers.update(stripeCustomerId, {
      address: { city: 'Marseille' },
      shipping: { name: 'Dash', address: { country: 'FR' } },
      preferred_locales: ['fr'],
    });
    const body = await answered(created.body.id, { preferredLocales: ['fr'] });
    expect(body).toMatchObject({
      address: { ...parisAnswered, city: 'Marseille' },
      shipping: {
        name: 'Dash',
        phone: null,
        address: { line1: null, line2: null, city: null, state: null, postalCode: null, country: 'FR' },
      },
      taxExempt: 'none',
    });
    expect(Number((await ctx.system.database.db('outbox').count('* as n').first())!.n)).toBe(outboxBefore);
  });

  it('keeps both sides when Stripe changes shipping while an API change of the address is on its way', async () => {
    const created = await ctx.api.create({
      name: 'Race',
      email: 'race.profile@example.com',
      address: paris,
      shipping: { name: 'Race', address: paris },
    });
    const { stripeCustomerId } = await synced(created.body.id);
    await emulatorControl(ctx.system.emulator, 'delivery', { paused: true });
    try {
      await ctx.system.stripe.customers.update(stripeCustomerId, {
        shipping: { name: 'Race', phone: '+33999999999', address: parisInStripe as never },
      });
      await ctx.api.update(created.body.id, { address: { city: 'Nice' } });
      await waitFor(async () => ((await inStripe(stripeCustomerId)).address as { city?: string })?.city === 'Nice', {
        what: 'API address in Stripe',
      });
    } finally {
      await emulatorControl(ctx.system.emulator, 'delivery', { paused: false });
    }
    const body = await answered(created.body.id, { syncStatus: 'synced' });
    // Settled: Stripe's shipping and our address both in the row. (Between our write's result and its own
    // webhook, the older shipping event can show Stripe's earlier address for a moment; the echo ends it.)
    await waitFor(
      async () => {
        const { body: now } = await ctx.api.get(created.body.id);
        return now.shipping?.phone === '+33999999999' && now.address?.city === 'Nice';
      },
      { what: 'Stripe shipping and our address in the row', timeoutMs: 30_000 },
    );
    expect(await inStripe(stripeCustomerId)).toMatchObject({
      address: { ...parisInStripe, city: 'Nice' },
      shipping: { phone: '+33999999999' },
    });
    expect(body.id).toBe(created.body.id);
  });
});
