import { emulatorControl, TEST_STRIPE_KEY } from '@customer-sync/stripe-emulator-core';
import { waitFor } from '@customer-sync/testing';
import { useSystem } from './use-system';

const ctx = useSystem({ env: { STRIPE_KEY_PROBE_MS: '300' } });

const statusOf = async (id: string): Promise<string> => (await ctx.api.get(id)).body.syncStatus;
const allSynced = (ids: string[]) =>
  waitFor(async () => (await Promise.all(ids.map(statusOf))).every((s) => s === 'synced'), {
    what: 'every customer synced',
    timeoutMs: 60_000,
  });

describe('Stripe refuses our key', () => {
  it('no customer becomes failed: they wait as pending while the worker is paused, then sync once the key works again', async () => {
    const before = (await ctx.api.create({ name: 'Before', email: 'before@example.com' })).body.id as string;
    await allSynced([before]);

    await emulatorControl(ctx.system.emulator, 'api-keys', { revoked: [TEST_STRIPE_KEY] });
    const during: string[] = [];
    for (let i = 0; i < 4; i++)
      during.push((await ctx.api.create({ name: `During ${i}`, email: `during${i}@example.com` })).body.id);
    const ready = await waitFor(
      async () => {
        const res = await fetch(`${ctx.system.worker.url}/ready`);
        return res.status === 503 ? ((await res.json()) as { reasons?: Record<string, string> }) : undefined;
      },
      { what: 'the worker to turn unready', timeoutMs: 30_000 },
    );
    expect(ready.reasons?.stripe).toMatch(/401/);
    await new Promise((r) => setTimeout(r, 2000));
    expect(await Promise.all(during.map(statusOf))).toEqual(during.map(() => 'pending'));

    await emulatorControl(ctx.system.emulator, 'api-keys', { revoked: [] });
    await allSynced(during);
    for (const id of during) expect(await ctx.system.stripeCustomersOf(id)).toHaveLength(1);
    expect((await fetch(`${ctx.system.worker.url}/ready`)).status).toBe(200);
  });
});
