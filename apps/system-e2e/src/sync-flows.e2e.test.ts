import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES_DIR, signedBody, TEST_WEBHOOK_SECRET, waitFor } from '@customer-sync/testing';
import { emulatorControl } from '@customer-sync/stripe-emulator-core';
import { settledCustomer } from './api-client';
import { useSystem } from './use-system';

const ctx = useSystem();

const synced = (id: string) => settledCustomer(ctx.api, id);

describe('outward: REST → Stripe', () => {
  it('creates exactly one Stripe customer, linked by metadata.customer_sync_id, and marks the row synced', async () => {
    const created = await ctx.api.create({ name: 'Ada Lovelace', email: 'ada@example.com', metadata: { plan: 'pro' } });
    expect(created.status).toBe(202);
    const customer = await synced(created.body.id);
    expect(customer.syncStatus).toBe('synced');
    const inStripe = await ctx.system.stripeCustomersOf(created.body.id);
    expect(inStripe).toHaveLength(1);
    expect(inStripe[0]).toMatchObject({
      id: customer.stripeCustomerId,
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      metadata: { plan: 'pro' },
    });
  });

  it('carries an update and a delete to Stripe', async () => {
    const created = await ctx.api.create({ name: 'Grace', email: 'grace@example.com', metadata: { a: '1', b: '2' } });
    const { stripeCustomerId } = await synced(created.body.id);
    await ctx.api.update(created.body.id, { name: 'Grace Hopper', metadata: { a: '1' } });
    await waitFor(
      async () =>
        ((await ctx.system.stripe.customers.retrieve(stripeCustomerId)) as { name?: string }).name === 'Grace Hopper',
      { what: 'update in Stripe' },
    );
    expect(((await ctx.system.stripe.customers.retrieve(stripeCustomerId)) as { metadata: object }).metadata).toEqual({
      a: '1',
      customer_sync_id: created.body.id,
    });
    expect((await synced(created.body.id)).syncStatus).toBe('synced');

    await ctx.api.remove(created.body.id);
    await waitFor(
      async () =>
        ((await ctx.system.stripe.customers.retrieve(stripeCustomerId)) as { deleted?: boolean }).deleted === true,
      { what: 'deleted in Stripe' },
    );
    const after = await synced(created.body.id);
    expect(after.deletedAt).not.toBeNull();
  });

  it('shows a permanent Stripe error as failed with the reason', async () => {
    await emulatorControl(ctx.system.emulator, 'faults', { failNext: 1, failStatus: 400 });
    const created = await ctx.api.create({ name: 'Refused', email: 'refused@example.com' });
    const customer = await synced(created.body.id);
    expect(customer).toMatchObject({
      syncStatus: 'failed',
      syncError: expect.stringContaining('refused'),
      stripeCustomerId: null,
    });
  });

  it('syncs everything once through bursts of 429 and 500 answers', async () => {
    await emulatorControl(ctx.system.emulator, 'faults', { rate429: 0.3, rate500: 0.2 });
    try {
      const ids = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          ctx.api.create({ name: `Burst ${i}`, email: `burst${i}@example.com` }).then((r) => r.body.id as string),
        ),
      );
      for (const id of ids) expect((await synced(id)).syncStatus).toBe('synced');
      await emulatorControl(ctx.system.emulator, 'faults', { rate429: 0, rate500: 0 });
      for (const id of ids) expect(await ctx.system.stripeCustomersOf(id)).toHaveLength(1);
    } finally {
      await emulatorControl(ctx.system.emulator, 'faults', { rate429: 0, rate500: 0 });
    }
  });
});

describe('inward: Stripe → database', () => {
  it('turns the recorded customer.created fixture, signed and posted to the ingress, into a row', async () => {
    const { body, signature } = signedBody(
      readFileSync(join(FIXTURES_DIR, 'event.customer.created.json'), 'utf8'),
      TEST_WEBHOOK_SECRET,
    );
    const res = await fetch(`${ctx.system.ingress.url}/stripe/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': signature },
      body,
    });
    expect(res.status).toBe(200);
    const row = await waitFor(
      () => ctx.system.database.db('customers').where({ stripe_customer_id: 'cus_Sq4VhK2mZt8LcR' }).first(),
      { what: 'row from the fixture' },
    );
    expect(row).toMatchObject({ origin: 'stripe', name: 'Jenny Rosen', email: 'jenny.rosen@example.com' });
  });

  it('brings a customer created and edited in the Stripe dashboard into the database with origin stripe', async () => {
    const dashboard = await ctx.system.stripe.customers.create({ name: 'From Dashboard', email: 'dash@example.com' });
    const row = await waitFor(
      () => ctx.system.database.db('customers').where({ stripe_customer_id: dashboard.id }).first(),
      { what: 'row from webhook' },
    );
    expect(row).toMatchObject({ origin: 'stripe', name: 'From Dashboard', sync_status: 'synced' });

    await ctx.system.stripe.customers.update(dashboard.id, { name: 'Edited In Dashboard' });
    await waitFor(
      async () =>
        (await ctx.system.database.db('customers').where({ stripe_customer_id: dashboard.id }).first())?.name ===
        'Edited In Dashboard',
      {
        what: 'edit applied',
      },
    );
  });

  it('never turns what comes from Stripe into an outward command (no echo loop)', async () => {
    const before = Number((await ctx.system.database.db('outbox').count('* as n').first())!.n);
    const dashboard = await ctx.system.stripe.customers.create({ name: 'No Echo', email: 'echo@example.com' });
    await ctx.system.stripe.customers.update(dashboard.id, { name: 'Still No Echo' });
    await waitFor(
      async () =>
        (await ctx.system.database.db('customers').where({ stripe_customer_id: dashboard.id }).first())?.name ===
        'Still No Echo',
      { what: 'applied' },
    );
    expect(Number((await ctx.system.database.db('outbox').count('* as n').first())!.n)).toBe(before);
  });

  it('applies the webhooks of our own changes to the row we already have, without a second row', async () => {
    const created = await ctx.api.create({ name: 'Echo Twin', email: 'twin@example.com' });
    const { stripeCustomerId } = await synced(created.body.id);
    await waitFor(
      async () =>
        (await ctx.system.database.db('customers').where({ id: created.body.id }).first())?.stripe_event_created,
      { what: 'webhook applied to our row' },
    );
    expect(await ctx.system.database.db('customers').where({ stripe_customer_id: stripeCustomerId })).toHaveLength(1);
  });
});
