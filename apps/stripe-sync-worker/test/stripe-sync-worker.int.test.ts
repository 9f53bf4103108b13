import {
  CustomerSyncResult,
  makeEnvelope,
  parseEnvelope,
  type CustomerRequestedPayload,
} from '@customer-sync/contracts';
import { emulatorControl } from '@customer-sync/stripe-emulator-core';
import { waitFor } from '@customer-sync/testing';
import { useRunningWorker } from './worker-test-setup';

const bed = useRunningWorker({
  clientId: 'worker-test',
  env: { STRIPE_MAX_RPS: '50', STRIPE_MAX_ATTEMPTS: '8' },
});
const stripe = bed.stripe;
const send = bed.send;

function command(payload: Partial<CustomerRequestedPayload> & { customerId: string }, occurredAt?: Date) {
  return makeEnvelope(
    'customer.requested',
    {
      action: 'create',
      version: 1,
      stripeCustomerId: null,
      changes: {
        fields: { name: 'Jenny Rosen', email: 'jenny@example.com', phone: null, description: null },
        metadata: { set: {}, unset: [] },
      },
      ...payload,
    } as CustomerRequestedPayload,
    { correlationId: 'test', occurredAt },
  );
}

const resultsFor = (requestId: string) =>
  bed.results.messages
    .map((m) => parseEnvelope(CustomerSyncResult, m.value))
    .filter((r) => r.payload.requestId === requestId);
const waitResult = (requestId: string, count = 1) =>
  waitFor(
    () => {
      const found = resultsFor(requestId);
      return found.length >= count ? found : undefined;
    },
    { what: `result of ${requestId}`, timeoutMs: 30_000 },
  );

describe('customer.requested → Stripe → customer.sync-results', () => {
  it('creates the Stripe customer with metadata.customer_sync_id and reports its id', async () => {
    const customerId = crypto.randomUUID();
    const create = command({
      customerId,
      changes: {
        fields: { name: 'Jenny', email: 'jenny@example.com', phone: '+15555550123', description: 'vip' },
        metadata: { set: { plan: 'pro' }, unset: [] },
      },
    });
    await send(create);
    const [result] = await waitResult(create.id);
    expect(result!.payload).toMatchObject({ customerId, outcome: 'synced', action: 'create', version: 1, error: null });
    const customer = await stripe().customers.retrieve(result!.payload.stripeCustomerId!);
    expect(customer).toMatchObject({
      name: 'Jenny',
      email: 'jenny@example.com',
      phone: '+15555550123',
      description: 'vip',
      metadata: { plan: 'pro', customer_sync_id: customerId },
    });
  });

  it('makes one Stripe customer however often the same command is delivered', async () => {
    const customerId = crypto.randomUUID();
    const create = command({ customerId });
    await send(create, create, create);
    const all = await waitResult(create.id, 3);
    expect(new Set(all.map((r) => r.payload.stripeCustomerId)).size).toBe(1);
    const found = await stripe().customers.search({ query: `metadata['customer_sync_id']:'${customerId}'` });
    expect(found.data).toHaveLength(1);
  });

  it('after the idempotency window, finds the earlier customer (here one made before issue 9, by the legacy key) instead of creating another', async () => {
    const customerId = crypto.randomUUID();
    await stripe().customers.create({ email: 'old@example.com', metadata: { internal_id: customerId } });
    const late = command(
      {
        customerId,
        changes: { fields: { name: 'Late', email: 'late@example.com' }, metadata: { set: {}, unset: [] } },
      },
      new Date(Date.now() - 25 * 3600_000),
    );
    await send(late);
    const [result] = await waitResult(late.id);
    const found = await stripe().customers.search({ query: `metadata['internal_id']:'${customerId}'` });
    expect(found.data).toHaveLength(1);
    expect(found.data[0]).toMatchObject({
      id: result!.payload.stripeCustomerId,
      name: 'Late',
      email: 'late@example.com',
    });
  });

  it('renames a customer that came from Stripe with 50 metadata keys (Stripe’s maximum) without adding a 51st', async () => {
    const customerId = crypto.randomUUID();
    const fifty = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, `v${i}`]));
    const real = await stripe().customers.create({ name: 'From Stripe', metadata: fifty });
    const rename = command({
      customerId,
      action: 'update',
      version: 2,
      stripeCustomerId: real.id,
      changes: { fields: { name: 'Renamed' }, metadata: { set: {}, unset: [] } },
    });
    await send(rename);
    const [result] = await waitResult(rename.id);
    expect(result!.payload).toMatchObject({ outcome: 'synced', error: null });
    expect(await stripe().customers.retrieve(real.id)).toMatchObject({ name: 'Renamed', metadata: fifty });
  });

  it('updates only the changed fields and keys (removing dropped metadata keys) and deletes in Stripe', async () => {
    const customerId = crypto.randomUUID();
    const real = await stripe().customers.create({
      email: 'u@example.com',
      phone: '+15555550100',
      metadata: { customer_sync_id: customerId, old: 'x', keep: 'y' },
    });
    await stripe().customers.update(real.id, { description: 'set in the dashboard', metadata: { other: 'tool' } });
    const update = command({
      customerId,
      action: 'update',
      version: 2,
      stripeCustomerId: real.id,
      changes: { fields: { name: 'Updated' }, metadata: { set: { keep: 'z' }, unset: ['old'] } },
    });
    await send(update);
    await waitResult(update.id);
    expect(await stripe().customers.retrieve(real.id)).toMatchObject({
      name: 'Updated',
      email: 'u@example.com',
      phone: '+15555550100',
      description: 'set in the dashboard',
      metadata: { customer_sync_id: customerId, keep: 'z', other: 'tool' },
    });
    expect(((await stripe().customers.retrieve(real.id)) as { metadata: object }).metadata).not.toHaveProperty('old');

    const remove = command({
      customerId,
      action: 'delete',
      version: 3,
      stripeCustomerId: real.id,
      changes: { fields: {}, metadata: { set: {}, unset: [] } },
    });
    await send(remove);
    const [removed] = await waitResult(remove.id);
    expect(removed!.payload.outcome).toBe('synced');
    expect(await stripe().customers.retrieve(real.id)).toMatchObject({ deleted: true });
  });

  it('an update that meets a customer deleted in Stripe reports deleted_in_stripe and creates nothing', async () => {
    const customerId = crypto.randomUUID();
    const real = await stripe().customers.create({
      email: 'gone@example.com',
      metadata: { customer_sync_id: customerId },
    });
    await stripe().customers.del(real.id);
    const withId = command({
      customerId,
      action: 'update',
      version: 2,
      stripeCustomerId: real.id,
      changes: { fields: { name: 'Too late' }, metadata: { set: {}, unset: [] } },
    });
    const withoutId = command({
      customerId,
      action: 'update',
      version: 3,
      changes: { fields: { name: 'Too late' }, metadata: { set: {}, unset: [] } },
    });
    await send(withId, withoutId);
    expect((await waitResult(withId.id))[0]!.payload).toMatchObject({
      outcome: 'deleted_in_stripe',
      stripeCustomerId: real.id,
    });
    expect((await waitResult(withoutId.id))[0]!.payload).toMatchObject({
      outcome: 'failed',
      error: { code: 'customer_not_in_stripe' },
    });
    expect((await stripe().customers.list({ limit: 100 })).data).toHaveLength(0);
  });

  it('reports a permanent Stripe error as a failed result with Stripe’s message', async () => {
    const create = command({
      customerId: crypto.randomUUID(),
      changes: { fields: { name: 'Bad', email: 'no-at-sign' }, metadata: { set: {}, unset: [] } },
    });
    await send(create);
    const [result] = await waitResult(create.id);
    expect(result!.payload).toMatchObject({
      outcome: 'failed',
      stripeCustomerId: null,
      error: { message: expect.stringContaining('email') },
    });
  });

  it('rides out bursts of 429 and 500 answers and still syncs everything once', async () => {
    await emulatorControl(bed.emulator, 'faults', { failNext: 4, failStatus: 429, retryAfterSeconds: 0 });
    const first = command({ customerId: crypto.randomUUID() });
    await send(first);
    await waitResult(first.id);
    await emulatorControl(bed.emulator, 'faults', { failNext: 3, failStatus: 500 });
    const commands = Array.from({ length: 5 }, () => command({ customerId: crypto.randomUUID() }));
    await send(...commands);
    for (const c of commands) expect((await waitResult(c.id))[0]!.payload.outcome).toBe('synced');
    expect((await stripe().customers.list({ limit: 100 })).data).toHaveLength(6);
  });
});

describe('a command without a confirmed Stripe id (a claimant may carry our link key)', () => {
  const noChange = { fields: {}, metadata: { set: {}, unset: [] } };
  const ownCreateOf = (create: ReturnType<typeof command>) => ({
    requestId: create.id,
    occurredAt: create.occurredAt,
    changes: create.payload.changes,
  });
  /** Sends an update setting `description` and then a delete, both carrying our own create, without a Stripe id. */
  async function sendUpdateAndDelete(create: ReturnType<typeof command>, description: string) {
    const { customerId } = create.payload;
    const update = command({
      customerId,
      action: 'update',
      version: 2,
      changes: { fields: { description }, metadata: { set: {}, unset: [] } },
      ownCreate: ownCreateOf(create),
    });
    const remove = command({
      customerId,
      action: 'delete',
      version: 3,
      changes: noChange,
      ownCreate: ownCreateOf(create),
    });
    await send(update, remove);
    return { update, remove };
  }

  it('an update and a delete act on the customer our own create made, found by replaying that create, never on the claimant', async () => {
    const customerId = crypto.randomUUID();
    const create = command({ customerId });
    await send(create);
    const ours = (await waitResult(create.id))[0]!.payload.stripeCustomerId!;
    const claimant = await stripe().customers.create({ name: 'Claimant', metadata: { customer_sync_id: customerId } });
    const { update, remove } = await sendUpdateAndDelete(create, 'ours');
    expect((await waitResult(update.id))[0]!.payload).toMatchObject({ outcome: 'synced', stripeCustomerId: ours });
    expect((await waitResult(remove.id))[0]!.payload).toMatchObject({ outcome: 'synced', stripeCustomerId: ours });
    expect(await stripe().customers.retrieve(ours)).toMatchObject({ deleted: true });
    expect(await stripe().customers.retrieve(claimant.id)).toMatchObject({ name: 'Claimant', description: null });
    expect((await stripe().customers.list({ limit: 100 })).data.map((c) => c.id)).toEqual([claimant.id]);
  });

  it('when our create failed, an update fails and a delete deletes nothing, whatever claims the row', async () => {
    const customerId = crypto.randomUUID();
    const create = command({
      customerId,
      changes: { fields: { name: 'Bad', email: 'no-at-sign' }, metadata: { set: {}, unset: [] } },
    });
    await send(create);
    expect((await waitResult(create.id))[0]!.payload).toMatchObject({ outcome: 'failed' });
    const claimant = await stripe().customers.create({ name: 'Claimant', metadata: { customer_sync_id: customerId } });
    const { update, remove } = await sendUpdateAndDelete(create, 'x');
    expect((await waitResult(update.id))[0]!.payload).toMatchObject({
      outcome: 'failed',
      stripeCustomerId: null,
      error: { code: 'customer_not_in_stripe' },
    });
    expect((await waitResult(remove.id))[0]!.payload).toMatchObject({ outcome: 'synced', stripeCustomerId: null });
    expect(await stripe().customers.retrieve(claimant.id)).toMatchObject({ name: 'Claimant', description: null });
    expect((await stripe().customers.list({ limit: 100 })).data.map((c) => c.id)).toEqual([claimant.id]);
  });
});
