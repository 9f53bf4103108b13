import { emulatorControl } from '@customer-sync/stripe-emulator-core';
import { TEST_API_KEY, waitFor } from '@customer-sync/testing';
import { settledCustomer } from './api-client';
import { useSystem } from './use-system';

/** Issue 9, "What fails today": each failure through the four services, Kafka, PostgreSQL and the emulator. */
const ctx = useSystem();
afterEach(() => emulatorControl(ctx.system.emulator, 'delivery', { paused: false }));

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const settled = (id: string): Promise<Json> => settledCustomer(ctx.api, id, `customer ${id} settled`);
const inStripe = async (stripeId: string) => (await ctx.system.stripe.customers.retrieve(stripeId)) as unknown as Json;
const rowOfStripe = (stripeId: string) =>
  ctx.system.database.db('customers').where({ stripe_customer_id: stripeId }).first();
const pauseWebhooks = () => emulatorControl(ctx.system.emulator, 'delivery', { paused: true });
const resumeWebhooks = () => emulatorControl(ctx.system.emulator, 'delivery', { paused: false });
/** Every webhook the emulator has sent was answered 2xx and db-writer has recorded its outcome. */
async function webhooksApplied() {
  await waitFor(
    async () => {
      const { attempts } = (await (await fetch(`${ctx.system.emulator.url}/_emulator/delivery`)).json()) as {
        attempts: { eventId: string; status: number | null }[];
      };
      const ids = [...new Set(attempts.filter((a) => a.status === 200).map((a) => a.eventId))];
      const events = (await ctx.system.stripe.events.list({ limit: 100 })).data.map((e) => e.id);
      if (!events.every((e) => ids.includes(e))) return false;
      return (await ctx.system.database.db('processed_events').whereIn('event_id', ids)).length === ids.length;
    },
    { what: 'all webhooks applied', timeoutMs: 30_000 },
  );
}
const userMetadata = (metadata: Json) =>
  Object.fromEntries(Object.entries(metadata).filter(([k]) => k !== 'customer_sync_id'));

async function syncedCustomer(body: Json) {
  const created = await ctx.api.create(body);
  expect(created.status).toBe(202);
  const customer = await settled(created.body.id);
  expect(customer.syncStatus).toBe('synced');
  await webhooksApplied();
  return customer;
}

describe('failure 1: lost update', () => {
  it('a PATCH of description while a dashboard edit of name and phone is in flight keeps both edits', async () => {
    const customer = await syncedCustomer({ name: 'Lost Update', email: 'lost@example.com', phone: '+15555550100' });
    await pauseWebhooks();
    await ctx.system.stripe.customers.update(customer.stripeCustomerId, {
      name: 'Dashboard Name',
      phone: '+15555550199',
    });
    expect((await ctx.api.update(customer.id, { description: 'x' })).status).toBe(202);
    await waitFor(async () => (await inStripe(customer.stripeCustomerId)).description === 'x', {
      what: 'description in Stripe',
    });
    await resumeWebhooks();
    await webhooksApplied();
    const row = await settled(customer.id);
    expect(await inStripe(customer.stripeCustomerId)).toMatchObject({
      name: 'Dashboard Name',
      phone: '+15555550199',
      description: 'x',
      email: 'lost@example.com',
    });
    expect(row).toMatchObject({
      name: 'Dashboard Name',
      phone: '+15555550199',
      description: 'x',
      email: 'lost@example.com',
      syncStatus: 'synced',
    });

    const history = await fetch(`${ctx.system.api.url}/customers/${customer.id}/history`, {
      headers: { authorization: `Bearer ${TEST_API_KEY}` },
    }).then((r) => r.json());
    const trail = (history as { data: { kind: string; type: string | null; outcome: string | null }[] }).data.map(
      (e) => `${e.kind}:${e.type}`,
    );
    expect(trail).toEqual(
      expect.arrayContaining([
        'api-write:create',
        'sync-result:create',
        'stripe-event:customer.created',
        'api-write:update',
        'sync-result:update',
        'stripe-event:customer.updated',
      ]),
    );
  });
});

describe('failure 2: link hijack', () => {
  it('a second Stripe customer claiming a linked row becomes its own row, flagged as a duplicate, and its deletion leaves ours alive', async () => {
    const ours = await syncedCustomer({ name: 'Real Owner', email: 'owner@example.com' });
    const claimant = await ctx.system.stripe.customers.create({
      name: 'Impostor',
      email: 'impostor@example.com',
      metadata: { customer_sync_id: ours.id },
    });
    const legacy = await ctx.system.stripe.customers.create({
      name: 'Old Key',
      email: 'oldkey@example.com',
      metadata: { internal_id: ours.id },
    });
    await webhooksApplied();
    expect((await ctx.api.get(ours.id)).body).toMatchObject({
      name: 'Real Owner',
      email: 'owner@example.com',
      stripeCustomerId: ours.stripeCustomerId,
      deletedAt: null,
    });
    const duplicate = await rowOfStripe(claimant.id);
    expect(duplicate).toMatchObject({ origin: 'stripe', duplicate_of: ours.id, name: 'Impostor', metadata: {} });
    expect((await ctx.api.get(duplicate.id)).body).toMatchObject({ duplicateOf: ours.id });
    expect(await (await fetch(`${ctx.system.writer.url}/metrics`)).text()).toMatch(/sync_duplicate_links_total\S* 1/);
    expect(await rowOfStripe(legacy.id)).toMatchObject({
      origin: 'stripe',
      name: 'Old Key',
      metadata: { internal_id: ours.id },
    });

    await ctx.system.stripe.customers.del(claimant.id);
    await webhooksApplied();
    expect((await ctx.api.get(ours.id)).body).toMatchObject({
      deletedAt: null,
      stripeCustomerId: ours.stripeCustomerId,
    });
    expect((await rowOfStripe(claimant.id)).deleted_at).not.toBeNull();
  });
});

describe('failure 3: the link key is reserved, other tools’ keys round-trip', () => {
  it('refuses the reserved key in user metadata with 400', async () => {
    const res = await ctx.api.create({
      name: 'Sneaky',
      email: 'sneaky@example.com',
      metadata: { customer_sync_id: 'x' },
    });
    expect(res.status).toBe(400);
  });

  it('keeps a plain internal_id the user or another tool sets, in both directions', async () => {
    const customer = await syncedCustomer({
      name: 'Tool User',
      email: 'tool@example.com',
      metadata: { internal_id: 'tool-42' },
    });
    expect(customer.metadata).toEqual({ internal_id: 'tool-42' });
    expect((await inStripe(customer.stripeCustomerId)).metadata).toEqual({
      internal_id: 'tool-42',
      customer_sync_id: customer.id,
    });

    await ctx.system.stripe.customers.update(customer.stripeCustomerId, { metadata: { internal_id: 'tool-43' } });
    await webhooksApplied();
    expect((await ctx.api.get(customer.id)).body.metadata).toEqual({ internal_id: 'tool-43' });
    await ctx.api.update(customer.id, { name: 'Tool User 2' });
    await settled(customer.id);
    await webhooksApplied();
    expect((await inStripe(customer.stripeCustomerId)).metadata).toEqual({
      internal_id: 'tool-43',
      customer_sync_id: customer.id,
    });
    expect((await ctx.api.get(customer.id)).body).toMatchObject({
      name: 'Tool User 2',
      metadata: { internal_id: 'tool-43' },
    });
  });
});

describe('failure 4: our database never refuses Stripe’s state', () => {
  it('applies an email Stripe copied from another API customer, and later edits of that customer', async () => {
    const a = await syncedCustomer({ name: 'Email A', email: 'Shared.Address@example.com' });
    const b = await syncedCustomer({ name: 'Email B', email: 'b-own@example.com' });
    expect(a.email).toBe('Shared.Address@example.com');
    await ctx.system.stripe.customers.update(b.stripeCustomerId, { email: 'Shared.Address@example.com' });
    await ctx.system.stripe.customers.update(b.stripeCustomerId, { name: 'Email B later' });
    await webhooksApplied();
    expect((await ctx.api.get(b.id)).body).toMatchObject({
      email: 'Shared.Address@example.com',
      name: 'Email B later',
    });
    expect((await ctx.api.create({ name: 'Email C', email: 'shared.address@EXAMPLE.com' })).status).toBe(409);
  });
});

describe('failure 6: a deletion in Stripe is final', () => {
  it('PATCHes queued behind a Stripe-side delete never re-create the customer; the row ends deleted and synced', async () => {
    const customer = await syncedCustomer({ name: 'Doomed', email: 'doomed@example.com' });
    await pauseWebhooks();
    await ctx.system.stripe.customers.del(customer.stripeCustomerId);
    await ctx.api.update(customer.id, { name: 'Doomed 2' });
    await ctx.api.update(customer.id, { description: 'still here?' });
    await settled(customer.id);
    await resumeWebhooks();
    await webhooksApplied();
    const row = await settled(customer.id);
    expect(row).toMatchObject({ syncStatus: 'synced' });
    expect(row.deletedAt).not.toBeNull();
    expect(await ctx.system.stripeCustomersOf(customer.id)).toHaveLength(0);
    expect((await ctx.system.stripe.customers.list({ email: 'doomed@example.com' })).data).toHaveLength(0);
  });
});

describe('failure 6 under faults', () => {
  it('with 429s and 500s, PATCHes that meet a customer deleted in Stripe never re-create it', async () => {
    const customers = await Promise.all(
      [0, 1, 2].map((i) => syncedCustomer({ name: `Faulty ${i}`, email: `faulty${i}@example.com` })),
    );
    await pauseWebhooks();
    for (const c of customers) await ctx.system.stripe.customers.del(c.stripeCustomerId);
    await emulatorControl(ctx.system.emulator, 'faults', { rate429: 0.3, rate500: 0.2 });
    try {
      for (const c of customers) {
        await ctx.api.update(c.id, { name: `${c.name} edited` });
        await ctx.api.update(c.id, { description: 'late' });
      }
      for (const c of customers) await settled(c.id);
    } finally {
      await emulatorControl(ctx.system.emulator, 'faults', { rate429: 0, rate500: 0 });
    }
    await resumeWebhooks();
    await webhooksApplied();
    for (const c of customers) {
      expect(await settled(c.id)).toMatchObject({ syncStatus: 'synced', deletedAt: expect.any(String) });
      expect(await ctx.system.stripeCustomersOf(c.id)).toHaveLength(0);
    }
  });
});

describe('failure 7: metadata keys added in Stripe survive an API write of other keys', () => {
  it('keeps a key added in Stripe while a PATCH of other keys is in flight', async () => {
    const customer = await syncedCustomer({ name: 'Meta', email: 'meta@example.com', metadata: { a: '1' } });
    await pauseWebhooks();
    await ctx.system.stripe.customers.update(customer.stripeCustomerId, { metadata: { fromStripe: 'yes' } });
    await ctx.api.update(customer.id, { metadata: { a: '1', b: '2' } });
    await waitFor(async () => (await inStripe(customer.stripeCustomerId)).metadata.b === '2', { what: 'b in Stripe' });
    await resumeWebhooks();
    await webhooksApplied();
    const row = await settled(customer.id);
    const stripeMetadata = userMetadata((await inStripe(customer.stripeCustomerId)).metadata);
    expect(stripeMetadata).toEqual({ a: '1', b: '2', fromStripe: 'yes' });
    expect(row.metadata).toEqual(stripeMetadata);
  });
});

describe('failure 2, a claim while our create is in flight: the link is provisional', () => {
  /** Our create held 5 s in Stripe; meanwhile a Stripe customer claiming the row links to it. */
  async function claimedWhileCreating(name: string) {
    await emulatorControl(ctx.system.emulator, 'faults', { latencyMs: 5000 });
    const created = await ctx.api.create({ name, email: `${name.toLowerCase()}@example.com`, metadata: { mine: '1' } });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await emulatorControl(ctx.system.emulator, 'faults', { latencyMs: 0 });
    const claimant = await ctx.system.stripe.customers.create({
      name: 'Claimant',
      metadata: { customer_sync_id: created.body.id, theirs: 't' },
    });
    await waitFor(async () => (await ctx.api.get(created.body.id)).body.stripeCustomerId === claimant.id, {
      what: 'the claim linked the row',
    });
    return { id: created.body.id as string, claimant: claimant.id };
  }
  /** The customer our own create made: the row is re-linked to it once our create's result arrives. */
  async function ours(id: string, claimant: string): Promise<Json> {
    const linked = await waitFor(
      async () => {
        const { stripeCustomerId } = (await ctx.api.get(id)).body;
        return stripeCustomerId && stripeCustomerId !== claimant ? (stripeCustomerId as string) : undefined;
      },
      { what: 'the row re-linked to our own customer' },
    );
    return inStripe(linked);
  }

  it('a PATCH made meanwhile lands on our customer and leaves the claimant untouched', async () => {
    const { id, claimant } = await claimedWhileCreating('Patched');
    expect((await ctx.api.update(id, { description: 'api-desc' })).status).toBe(202);
    const own = await ours(id, claimant);
    await waitFor(
      async () =>
        (await settled(id)).stripeCustomerId === own.id && (await inStripe(own.id)).description === 'api-desc',
      { what: 'the PATCH on our customer' },
    );
    await webhooksApplied();
    expect(await settled(id)).toMatchObject({
      stripeCustomerId: own.id,
      name: 'Patched',
      description: 'api-desc',
      deletedAt: null,
      syncStatus: 'synced',
    });
    expect(await inStripe(claimant)).toMatchObject({ name: 'Claimant', description: null });
  });

  it('a DELETE made meanwhile deletes our customer, not the claimant', async () => {
    const { id, claimant } = await claimedWhileCreating('Deleted');
    expect((await ctx.api.remove(id)).status).toBe(202);
    const own = await ours(id, claimant);
    await waitFor(async () => (await inStripe(own.id)).deleted === true, { what: 'our customer deleted in Stripe' });
    await webhooksApplied();
    expect((await inStripe(claimant)).deleted).toBeUndefined();
    expect(await settled(id)).toMatchObject({ stripeCustomerId: own.id, syncStatus: 'synced' });
    expect((await ctx.api.get(id)).body.deletedAt).not.toBeNull();
    expect((await rowOfStripe(claimant)).deleted_at).toBeNull();
  });

  it('the claimant deleting itself meanwhile leaves our row live and patchable', async () => {
    const { id, claimant } = await claimedWhileCreating('Survivor');
    await ctx.system.stripe.customers.del(claimant);
    await waitFor(async () => (await rowOfStripe(claimant))?.deleted_at, {
      what: 'the claimant deleted on its own row',
    });
    expect((await ctx.api.get(id)).body.deletedAt).toBeNull();
    expect((await ctx.api.update(id, { description: 'still ours' })).status).toBe(202);
    const own = await ours(id, claimant);
    await waitFor(async () => (await inStripe(own.id)).description === 'still ours', {
      what: 'the PATCH on our customer',
    });
    await webhooksApplied();
    expect(await settled(id)).toMatchObject({
      stripeCustomerId: own.id,
      name: 'Survivor',
      description: 'still ours',
      metadata: { mine: '1' },
      deletedAt: null,
      syncStatus: 'synced',
    });
  });
});
