import { emulatorStripe } from '@customer-sync/stripe-emulator-core';
import { testLogger } from '@customer-sync/testing';
import { reconcile } from '../src';
import { useReconcileSetup } from './reconcile-setup';

const ctx = useReconcileSetup();
const logger = testLogger('reconcile');

describe('reconcile of the customer profile', () => {
  it('repairs a row whose address, shipping, locales and tax exemption drifted from Stripe; a second run changes nothing', async () => {
    const stripe = emulatorStripe(ctx.emulator);
    const paris = { line1: '1 Rue de Rivoli', city: 'Paris', postal_code: '75001', country: 'FR' };
    const inStripe = await stripe.customers.create({
      name: 'Drift',
      email: 'drift@example.com',
      address: paris,
      shipping: { name: 'Drift', address: { ...paris, city: 'Lyon' } },
      preferred_locales: ['fr', 'en'],
      tax_exempt: 'reverse',
    });
    const id = crypto.randomUUID();
    await ctx.database.db('customers').insert({
      id,
      name: 'Drift',
      email: 'drift@example.com',
      origin: 'stripe',
      stripe_customer_id: inStripe.id,
      address: JSON.stringify({ ...paris, line2: null, state: null, city: 'Old City' }),
      created_at: new Date(Date.now() - 60_000),
    });

    expect(await reconcile({ db: ctx.database.db, stripe, logger })).toMatchObject({ scanned: 1, updated: 1 });
    const stored = { ...paris, line2: null, state: null };
    expect(await ctx.database.db('customers').where({ id }).first()).toMatchObject({
      address: stored,
      shipping: { name: 'Drift', phone: null, address: { ...stored, city: 'Lyon' } },
      preferred_locales: ['fr', 'en'],
      tax_exempt: 'reverse',
    });

    expect(await reconcile({ db: ctx.database.db, stripe, logger })).toMatchObject({
      scanned: 1,
      updated: 0,
      unchanged: 1,
    });
  });
});
