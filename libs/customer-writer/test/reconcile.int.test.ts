import { emulatorStripe } from '@customer-sync/stripe-emulator-core';
import { testLogger } from '@customer-sync/testing';
import { reconcile } from '../src';
import { useReconcileSetup } from './reconcile-setup';

const ctx = useReconcileSetup();
const logger = testLogger('reconcile');

describe('reconcile', () => {
  it('inserts missing rows, updates stale ones, marks orphans deleted; a second run changes nothing', async () => {
    const stripe = emulatorStripe(ctx.emulator);
    const db = ctx.database.db;
    const missing = await stripe.customers.create({ name: 'Missing', email: 'missing@example.com' });
    const stale = await stripe.customers.create({
      name: 'Fresh Name',
      email: 'stale@example.com',
      metadata: { tier: 'gold' },
    });
    const ours = crypto.randomUUID();
    const linked = await stripe.customers.create({
      name: 'Ours',
      email: 'ours@example.com',
      metadata: { internal_id: ours },
    });
    const past = new Date(Date.now() - 60_000);
    await db('customers').insert([
      {
        id: crypto.randomUUID(),
        name: 'Old Name',
        email: 'stale@example.com',
        origin: 'stripe',
        stripe_customer_id: stale.id,
        created_at: past,
      },
      {
        id: crypto.randomUUID(),
        name: 'Gone',
        email: 'gone@example.com',
        origin: 'stripe',
        stripe_customer_id: 'cus_gone000000000',
        created_at: past,
      },
      { id: ours, name: 'Ours', email: 'ours@example.com', origin: 'api', created_at: past },
    ]);

    const pages: number[] = [];
    const first = await reconcile({ db, stripe, logger, pageSize: 2, onProgress: (s) => pages.push(s.scanned) });
    expect(first).toEqual({ scanned: 3, inserted: 1, updated: 2, deleted: 1, unchanged: 0 });
    expect(pages).toEqual([2, 3]);
    expect(await db('customers').where({ stripe_customer_id: missing.id }).first()).toMatchObject({
      origin: 'stripe',
      name: 'Missing',
    });
    expect(await db('customers').where({ stripe_customer_id: stale.id }).first()).toMatchObject({
      name: 'Fresh Name',
      metadata: { tier: 'gold' },
    });
    expect(
      (await db('customers').where({ stripe_customer_id: 'cus_gone000000000' }).first()).deleted_at,
    ).not.toBeNull();
    expect(await db('customers').where({ id: ours }).first()).toMatchObject({
      stripe_customer_id: linked.id,
      origin: 'api',
    });

    const second = await reconcile({ db, stripe, logger });
    expect(second).toEqual({ scanned: 3, inserted: 0, updated: 0, deleted: 0, unchanged: 3 });
  });

  it('resumes an interrupted run after the last page it saved', async () => {
    const stripe = emulatorStripe(ctx.emulator);
    const db = ctx.database.db;
    for (let i = 0; i < 3; i++) await stripe.customers.create({ email: `resume${i}@example.com` });
    // The process dies right after the first page was saved.
    const crashAfterFirstPage = () => {
      throw new Error('killed');
    };
    await expect(reconcile({ db, stripe, logger, pageSize: 2, onProgress: crashAfterFirstPage })).rejects.toThrow(
      'killed',
    );
    const open = await db('reconcile_runs').whereNull('finished_at').first();
    expect(open.cursor).toMatch(/^cus_/);

    const resumed = await reconcile({ db, stripe, logger, pageSize: 2 });
    expect(resumed.scanned).toBe(6);
    expect(await db('reconcile_runs').whereNull('finished_at')).toHaveLength(0);
  });
});
