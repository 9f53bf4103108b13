import { type StripeEvent } from '@customer-sync/contracts';
import { customerEvent, uniqueSuffix } from '@customer-sync/testing';
import { useRunningDbWriter } from './db-writer-test-setup';

const { suffix, database, stripe, deliver, rowOf } = useRunningDbWriter({
  clientId: 'profile-inward-test',
  resetEmulator: true,
});
const paris = { line1: '1 Rue de Rivoli', city: 'Paris', postal_code: '75001', country: 'FR' };
const parisStored = { ...paris, line2: null, state: null };

/** The emulator's newest event: what Stripe would deliver for the call just made. */
const lastEmulatorEvent = async () => (await stripe().events.list({ limit: 1 })).data[0] as unknown as StripeEvent;

describe('the customer profile from Stripe events', () => {
  it('a customer.created with address, shipping, locales and tax exemption becomes a row holding them', async () => {
    const created = await stripe().customers.create({
      email: 'profile@example.com',
      address: paris,
      shipping: { name: 'Jenny Rosen', phone: '+33123456789', address: paris },
      preferred_locales: ['fr-FR', 'en'],
      tax_exempt: 'exempt',
    });
    await deliver(await lastEmulatorEvent());
    expect(await rowOf(created.id)).toMatchObject({
      origin: 'stripe',
      address: parisStored,
      shipping: { name: 'Jenny Rosen', phone: '+33123456789', address: parisStored },
      preferred_locales: ['fr-FR', 'en'],
      tax_exempt: 'exempt',
    });
  });

  it('a customer.updated changing a nested part, unsetting shipping and emptying the locales updates the row', async () => {
    const created = await stripe().customers.create({
      address: paris,
      shipping: { name: 'Jenny', address: paris },
      preferred_locales: ['fr'],
    });
    await deliver(await lastEmulatorEvent());
    await stripe().customers.update(created.id, {
      address: { city: 'Lyon' },
      shipping: '',
      preferred_locales: '' as unknown as string[],
      tax_exempt: 'reverse',
    });
    await deliver(await lastEmulatorEvent());
    expect(await rowOf(created.id)).toMatchObject({
      address: { ...parisStored, city: 'Lyon' },
      shipping: null,
      preferred_locales: [],
      tax_exempt: 'reverse',
    });
  });

  it('stores what Stripe holds beyond what the API writes: a null tax exemption and locales, an unknown exemption value, long parts', async () => {
    const id = `cus_prof${suffix.slice(-8)}`;
    const longCity = 'x'.repeat(6000);
    await deliver(
      customerEvent(
        'customer.created',
        { id, tax_exempt: null, preferred_locales: null, address: { city: longCity } },
        1000,
      ) as StripeEvent,
    );
    expect(await rowOf(id)).toMatchObject({
      tax_exempt: null,
      preferred_locales: [],
      address: { city: longCity, line1: null },
    });
    await deliver(
      customerEvent(
        'customer.updated',
        { id, tax_exempt: 'partially', shipping: { name: 'N', address: {} } },
        1001,
      ) as StripeEvent,
    );
    expect(await rowOf(id)).toMatchObject({
      tax_exempt: 'partially',
      shipping: { name: 'N', phone: null, address: { city: null } },
    });
  });

  it('stores an address part with U+0000 by the replacement rule instead of refusing the event', async () => {
    const id = `cus_nul${suffix.slice(-8)}`;
    await deliver(
      customerEvent(
        'customer.created',
        { id, address: { city: 'Pa\u0000ris' }, shipping: { name: '\ud800', address: {} } },
        1000,
      ) as StripeEvent,
    );
    expect(await rowOf(id)).toMatchObject({
      address: { city: 'Pa\ufffdris' },
      shipping: { name: '\ufffd' },
      inbound_error: null,
    });
  });

  it.each([
    ['a value of 600 characters', { k: 'v'.repeat(600) }],
    ['60 keys', Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`k${i}`, 'v']))],
    ['a key of 60 characters', { ['k'.repeat(60)]: 'v' }],
    ['a key with [ and ]', { 'a[b]': 'v' }],
  ])(
    'stores metadata past Stripe’s request limits (%s) as the event carries it, dead-lettering nothing',
    async (_name, metadata) => {
      const id = `cus_meta${uniqueSuffix().slice(-8)}`;
      await deliver(customerEvent('customer.created', { id, metadata: { old: 'x' } }, 1000) as StripeEvent);
      const update = customerEvent('customer.updated', { id, metadata }, 1001) as StripeEvent;
      await deliver(update);
      const row = await rowOf(id);
      expect(row).toMatchObject({ inbound_error: null });
      expect(row.metadata).toEqual(metadata);
      expect(await database.db('processed_events').where({ event_id: update.id }).first()).toMatchObject({
        outcome: 'applied',
      });
    },
  );

  it('an event for a known customer that still cannot be read marks the customer instead of dead-lettering it silently', async () => {
    const id = `cus_bad${uniqueSuffix().slice(-8)}`;
    await deliver(customerEvent('customer.created', { id }, 1000) as StripeEvent);
    const bad = customerEvent('customer.updated', { id, metadata: { k: 7 } }, 1001) as unknown as StripeEvent;
    await deliver(bad);
    const row = await rowOf(id);
    expect(row.inbound_error).toContain(bad.id);
    expect(await database.db('processed_events').where({ event_id: bad.id }).first()).toMatchObject({
      outcome: 'failed-to-apply',
    });
  });

  it('while an API write of the address is pending, applies Stripe’s shipping and reports a Stripe edit of the address as a conflict', async () => {
    const real = await stripe().customers.create({ address: paris, shipping: { name: 'Jenny', address: paris } });
    const rowId = crypto.randomUUID();
    const ours = { ...parisStored, city: 'Nice' };
    await database.db('customers').insert({
      id: rowId,
      name: 'Jenny',
      origin: 'api',
      stripe_customer_id: real.id,
      sync_status: 'pending',
      version: 2,
      address: JSON.stringify(ours),
      shipping: JSON.stringify({ name: 'Jenny', phone: null, address: parisStored }),
      pending_fields: JSON.stringify({ address: 2 }),
    });

    await stripe().customers.update(real.id, { shipping: { name: 'Jenny', phone: '+33100000000', address: paris } });
    const shippingEdit = await lastEmulatorEvent();
    await deliver(shippingEdit);
    expect(await database.db('customers').where({ id: rowId }).first()).toMatchObject({
      address: ours,
      shipping: { phone: '+33100000000' },
    });
    expect((await database.db('processed_events').where({ event_id: shippingEdit.id }).first()).outcome).toBe(
      'applied',
    );

    await stripe().customers.update(real.id, { address: { line2: 'Apt 4' } });
    const addressEdit = await lastEmulatorEvent();
    await deliver(addressEdit);
    expect(await database.db('customers').where({ id: rowId }).first()).toMatchObject({
      address: ours,
      refetch_on_settle: true,
    });
    expect(await database.db('processed_events').where({ event_id: addressEdit.id }).first()).toMatchObject({
      outcome: 'conflict',
      detail: { fields: ['address'] },
    });
  });
});
