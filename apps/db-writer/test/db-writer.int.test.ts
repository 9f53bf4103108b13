import { dlqTopicOf, makeEnvelope } from '@customer-sync/contracts';
import { randomBytes } from 'node:crypto';
import { DlqHeaders, isPermanent, publish } from '@customer-sync/kafka';
import { collectTopic, customerEvent, fixture, testKafka, testLogger, waitFor } from '@customer-sync/testing';
import { pullCustomerFromStripe, reconcile } from '@customer-sync/customer-writer';
import { outboxRetention, pruneExpired } from '@customer-sync/db';
import { useRunningDbWriter } from './db-writer-test-setup';

const logger = testLogger('db-writer-test');
const bed = useRunningDbWriter({ clientId: 'db-writer-test' });
const { suffix, topics, database, deliver, rowOf } = bed;

type Event = ReturnType<typeof customerEvent>;

const outcomeOf = async (eventId: string) =>
  (await database.db('processed_events').where({ event_id: eventId }).first())?.outcome;
let counter = 0;
const newStripeId = () => `cus_dbw${(counter++).toString().padStart(4, '0')}${suffix.slice(-6)}`;

/** Our API row with its create in flight (name and email pending), and the Stripe customer that create made. */
async function inFlightCreate(name: string, email: string) {
  const id = crypto.randomUUID();
  await database.db('customers').insert({ id, name, email, origin: 'api', pending_fields: { name: 1, email: 1 } });
  const ours = await bed.stripe().customers.create({ name, email, metadata: { customer_sync_id: id } });
  return { id, ours };
}

/** A stranger in Stripe carrying our row's link key, its customer.created (at `created`) delivered. */
async function strangerClaims(id: string, fields: { name: string; email?: string }, created: number) {
  const metadata = { customer_sync_id: id };
  const stranger = await bed.stripe().customers.create({ ...fields, metadata });
  await deliver(customerEvent('customer.created', { id: stranger.id, ...fields, metadata }, created));
  return stranger;
}

describe('stripe.events → PostgreSQL', () => {
  it('turns the recorded customer.created fixture into a row of origin stripe', async () => {
    const event = fixture<Event>('event.customer.created.json');
    await deliver(event);
    const row = await rowOf('cus_Sq4VhK2mZt8LcR');
    expect(row).toMatchObject({
      origin: 'stripe',
      name: 'Jenny Rosen',
      email: 'jenny.rosen@example.com',
      sync_status: 'synced',
      stripe_event_created: event.created,
      deleted_at: null,
    });
  });

  it('applies a duplicate delivery once', async () => {
    const id = newStripeId();
    const created = customerEvent('customer.created', { id, name: 'A' }, 1000);
    const updated = customerEvent('customer.updated', { id, name: 'B' }, 1001);
    await deliver(created);
    await deliver(updated);
    await deliver(created);
    expect((await rowOf(id)).name).toBe('B');
    expect(await database.db('processed_events').where({ event_id: created.id })).toHaveLength(1);
  });

  it('ignores an older event that arrives after a newer one', async () => {
    const id = newStripeId();
    const newer = customerEvent('customer.updated', { id, name: 'Newer' }, 2000);
    const older = customerEvent('customer.updated', { id, name: 'Older' }, 1999);
    await deliver(newer);
    await deliver(older);
    expect((await rowOf(id)).name).toBe('Newer');
    expect(await outcomeOf(older.id)).toBe('stale');
  });

  it('resolves two events of the same second to Stripe’s current state', async () => {
    const stripe = bed.stripe();
    const real = await stripe.customers.create({ name: 'Truth', email: 'truth@example.com' });
    const first = customerEvent('customer.updated', { id: real.id, name: 'First' }, 3000);
    const second = customerEvent('customer.updated', { id: real.id, name: 'Second' }, 3000);
    await deliver(first);
    expect((await rowOf(real.id)).name).toBe('First');
    await deliver(second);
    expect((await rowOf(real.id)).name).toBe('Truth');
    expect(await outcomeOf(second.id)).toBe('applied-from-stripe');
  });

  it('marks a customer deleted from a full snapshot and from a stub', async () => {
    const withSnapshot = newStripeId();
    const withStub = newStripeId();
    await deliver(
      customerEvent('customer.created', { id: withSnapshot }, 4000),
      customerEvent('customer.created', { id: withStub }, 4000),
    );
    await deliver(customerEvent('customer.deleted', { id: withSnapshot, name: 'Last' }, 4001));
    await deliver(customerEvent('customer.deleted', fixture('deleted_customer.json'), 4001, {}));
    const stubId = fixture<{ id: string }>('deleted_customer.json').id;
    expect((await rowOf(withSnapshot)).deleted_at).not.toBeNull();
    expect((await rowOf(withSnapshot)).name).toBe('Last');
    expect((await rowOf(stubId)).deleted_at).not.toBeNull();
  });

  it('does not resurrect a deleted customer with a later update', async () => {
    const id = newStripeId();
    await deliver(customerEvent('customer.created', { id, name: 'Alive' }, 5000));
    await deliver(customerEvent('customer.deleted', { id, name: 'Alive' }, 5001));
    const late = customerEvent('customer.updated', { id, name: 'Zombie' }, 5002);
    await deliver(late);
    const row = await rowOf(id);
    expect(row.deleted_at).not.toBeNull();
    expect(row.name).toBe('Alive');
    expect(await outcomeOf(late.id)).toBe('ignore-deleted');
  });

  it('acknowledges an event type it does not act on', async () => {
    const invoice = {
      ...customerEvent('invoice.paid', {}, 6000),
      data: { object: { id: 'in_1', object: 'invoice', customer: 'cus_x' } },
    };
    await deliver(invoice as Event);
    expect(await outcomeOf(invoice.id)).toBe('ignored');
  });

  it('links a Stripe customer to the in-flight API row its metadata claims (here by the legacy internal_id)', async () => {
    const internalId = crypto.randomUUID();
    await database
      .db('customers')
      .insert({ id: internalId, name: 'Ours', email: 'ours@example.com', origin: 'api', sync_status: 'synced' });
    const id = newStripeId();
    await deliver(
      customerEvent('customer.created', { id, name: 'Ours', metadata: { internal_id: internalId, plan: 'pro' } }, 7000),
    );
    const row = await database.db('customers').where({ id: internalId }).first();
    expect(row).toMatchObject({ stripe_customer_id: id, origin: 'api', metadata: { plan: 'pro' } });
  });

  it('while an API write is pending, applies every field it does not touch and keeps the ones it does (issue 9; it used to drop the whole event)', async () => {
    const internalId = crypto.randomUUID();
    const id = newStripeId();
    await database.db('customers').insert({
      id: internalId,
      name: 'Edited Here',
      phone: '1',
      email: 'mine@example.com',
      origin: 'api',
      sync_status: 'pending',
      version: 2,
      stripe_customer_id: id,
      metadata: { ours: 'new' },
      pending_fields: { name: 2, 'metadata.ours': 2 },
    });
    const dashboard = customerEvent(
      'customer.updated',
      { id, name: 'Before The Edit', phone: '2', email: 'mine@example.com', metadata: { theirs: 'x' } },
      7500,
      {
        previous_attributes: { phone: '1', metadata: { theirs: null } },
      },
    );
    await deliver(dashboard);
    // Stripe's name differs from our pending one and this event cannot say which write Stripe applied
    // last (an event held back may have renamed it after ours): no conflict, but a refetch once ours settles.
    expect(await database.db('customers').where({ id: internalId }).first()).toMatchObject({
      name: 'Edited Here',
      phone: '2',
      metadata: { ours: 'new', theirs: 'x' },
      stripe_event_created: 7500,
      refetch_on_settle: true,
    });
    expect(await outcomeOf(dashboard.id)).toBe('applied');
  });

  it('records a Stripe write of a pending field as a conflict, keeps ours until it settles, then takes Stripe’s state (issue 9)', async () => {
    const stripe = bed.stripe();
    const real = await stripe.customers.create({ name: 'Stripe Last', email: 'c@example.com' });
    const internalId = crypto.randomUUID();
    await database.db('customers').insert({
      id: internalId,
      name: 'Ours',
      email: 'c@example.com',
      origin: 'api',
      sync_status: 'pending',
      version: 2,
      stripe_customer_id: real.id,
      pending_fields: { name: 2 },
    });
    const clash = customerEvent(
      'customer.updated',
      { id: real.id, name: 'Stripe Last', email: 'c@example.com' },
      7600,
      { previous_attributes: { name: 'Ours' } },
    );
    await deliver(clash);
    expect(await outcomeOf(clash.id)).toBe('conflict');
    expect(await (await fetch(`${bed.writer.url}/metrics`)).text()).toMatch(/sync_conflicts_total\S* 1/);
    expect(await database.db('customers').where({ id: internalId }).first()).toMatchObject({
      name: 'Ours',
      refetch_on_settle: true,
    });
    const settle = makeEnvelope(
      'customer.sync-result',
      {
        customerId: internalId,
        requestId: 'r',
        action: 'update' as const,
        version: 2,
        outcome: 'synced' as const,
        stripeCustomerId: real.id,
        error: null,
      },
      { correlationId: 'c' },
    );
    await publish(bed.producer, topics.customerSyncResults, [{ key: internalId, value: JSON.stringify(settle) }]);
    await waitFor(
      async () => (await database.db('customers').where({ id: internalId }).first()).name === 'Stripe Last',
      { what: 'refetched after settling' },
    );
    expect(await database.db('customers').where({ id: internalId }).first()).toMatchObject({
      sync_status: 'synced',
      refetch_on_settle: false,
      pending_fields: {},
    });
  });

  it('applies a backlog batch to the newest state per customer', async () => {
    const ids = Array.from({ length: 10 }, newStripeId);
    const events = ids.flatMap((id) =>
      Array.from({ length: 5 }, (_, n) =>
        customerEvent(n === 0 ? 'customer.created' : 'customer.updated', { id, name: `v${n}` }, 8000 + n),
      ),
    );
    await deliver(...events.sort(() => Math.random() - 0.5));
    for (const id of ids) expect((await rowOf(id)).name).toBe('v4');
  });

  it('never writes an outward command for what comes from Stripe (no echo loop)', async () => {
    expect(await database.db('outbox').count('* as n').first()).toEqual({ n: 0 });
  });

  it('sends a message that is not an event envelope to the DLQ and goes on', async () => {
    const dlq = await collectTopic(testKafka(), dlqTopicOf(topics.stripeEvents));
    try {
      await publish(bed.producer, topics.stripeEvents, [{ key: 'cus_poison', value: '{"not":"an envelope"}' }]);
      const after = newStripeId();
      await deliver(customerEvent('customer.created', { id: after }, 9000));
      await waitFor(() => dlq.messages.length === 1, { what: 'dead letter' });
      expect(await rowOf(after)).toBeDefined();
    } finally {
      await dlq.stop();
    }
  });
});

describe('Stripe’s state is never refused (issue 9, failure 4)', () => {
  it('stores a description over 1,000 characters and a long phone', async () => {
    const id = newStripeId();
    await deliver(
      customerEvent(
        'customer.created',
        { id, description: 'd'.repeat(1200), phone: '+1 (555) 555-0100 extension 12345 ask for accounts' },
        10_000,
      ),
    );
    expect(await rowOf(id)).toMatchObject({
      description: 'd'.repeat(1200),
      phone: '+1 (555) 555-0100 extension 12345 ask for accounts',
    });
  });

  it('stores U+0000 and unpaired surrogates as U+FFFD instead of dead-lettering the event', async () => {
    const id = newStripeId();
    const event = customerEvent(
      'customer.created',
      { id, name: 'Nul\u0000Name', metadata: { note: 'half \ud83d pair' } },
      10_001,
    );
    await deliver(event);
    expect(await rowOf(id)).toMatchObject({ name: 'Nul\ufffdName', metadata: { note: 'half \ufffd pair' } });
    expect(await outcomeOf(event.id)).toBe('applied');
  });
});

describe('an event that still cannot be stored (issue 9)', () => {
  it('marks the customer, counts it, acknowledges the event; reconcile repairs the row from Stripe', async () => {
    const stripe = bed.stripe();
    const real = await stripe.customers.create({ name: 'Unstorable', email: 'u@example.com' });
    const rowId = crypto.randomUUID();
    await database.db('customers').insert({
      id: rowId,
      name: 'Before',
      email: 'u@example.com',
      origin: 'api',
      sync_status: 'synced',
      stripe_customer_id: real.id,
    });
    // A local rule the event breaks, standing in for any constraint PostgreSQL may still raise.
    await database.db.raw(
      `alter table customers add constraint test_refuses check (name is distinct from 'Unstorable')`,
    );
    try {
      const event = customerEvent(
        'customer.updated',
        { id: real.id, name: 'Unstorable', email: 'u@example.com' },
        12_000,
      );
      await deliver(event);
      expect(await outcomeOf(event.id)).toBe('failed-to-apply');
      expect(await database.db('customers').where({ id: rowId }).first()).toMatchObject({
        name: 'Before',
        inbound_error: expect.stringContaining(event.id),
      });
      expect(await (await fetch(`${bed.writer.url}/metrics`)).text()).toMatch(/stripe_events_unstorable_total\S* 1/);
    } finally {
      await database.db.raw('alter table customers drop constraint test_refuses');
    }
    await reconcile({ db: database.db, stripe, logger });
    expect(await database.db('customers').where({ id: rowId }).first()).toMatchObject({
      name: 'Unstorable',
      inbound_error: null,
    });
  });
});

describe('events of another mode or account (issue 9, failure 5)', () => {
  it.each([
    ['livemode: true on an sk_test_ deployment', { livemode: true }, 'ignored-livemode'],
    ['a Connect account', { account: 'acct_1OtherAccount' }, 'ignored-account'],
  ])('acknowledges and ignores %s', async (_case, extra, outcome) => {
    const id = newStripeId();
    await deliver(customerEvent('customer.created', { id, name: 'Ours' }, 11_000));
    const foreign = { ...customerEvent('customer.updated', { id, name: 'Renamed Elsewhere' }, 11_001), ...extra };
    await deliver(foreign);
    expect((await rowOf(id)).name).toBe('Ours');
    expect(await outcomeOf(foreign.id)).toBe(outcome);
  });
});

describe('stripe.events with an id no index can hold', () => {
  it('PostgreSQL refuses such a key with SQLSTATE class 54, which is permanent', async () => {
    // Random text does not compress, so the unique index on stripe_customer_id cannot hold it (54000).
    const error = await database
      .db('customers')
      .insert({
        id: crypto.randomUUID(),
        name: 'L',
        email: 'l@example.com',
        origin: 'stripe',
        stripe_customer_id: randomBytes(200_000).toString('hex'),
      })
      .catch((e: unknown) => e);
    expect((error as { code?: string }).code).toMatch(/^54/);
    expect(isPermanent(error)).toBe(true);
  });

  it('dead-letters a 400,000-character customer id at once, without retries, and goes on', async () => {
    const dlq = await collectTopic(testKafka(), dlqTopicOf(topics.stripeEvents));
    try {
      const poison = customerEvent('customer.created', { id: `cus_${randomBytes(200_000).toString('hex')}` }, 9200);
      await publish(bed.producer, topics.stripeEvents, [
        {
          key: String(poison.data.object.id),
          value: JSON.stringify(makeEnvelope('stripe.event-received', { event: poison }, { correlationId: poison.id })),
        },
      ]);
      const after = newStripeId();
      await deliver(customerEvent('customer.created', { id: after }, 9201));
      const letter = await waitFor(
        () => dlq.messages.find((m) => m.headers?.[DlqHeaders.sourceOffset] && m.value?.toString().includes(poison.id)),
        { what: 'dead letter' },
      );
      expect(letter.headers?.[DlqHeaders.attempts]?.toString()).toMatch(/^[01]$/);
      expect(await rowOf(after)).toBeDefined();
    } finally {
      await dlq.stop();
    }
  });
});

describe('customer.sync-results → PostgreSQL', () => {
  const result = (
    customerId: string,
    version: number,
    outcome: 'synced' | 'failed',
    stripeCustomerId: string | null,
    error: { code: string; message: string } | null = null,
  ) =>
    makeEnvelope(
      'customer.sync-result',
      {
        customerId,
        requestId: crypto.randomUUID(),
        action: 'create' as const,
        version,
        outcome,
        stripeCustomerId,
        error,
      },
      { correlationId: 'c' },
    );

  async function deliverResult(envelope: ReturnType<typeof result>, until: () => Promise<boolean>) {
    await publish(bed.producer, topics.customerSyncResults, [
      { key: envelope.payload.customerId, value: JSON.stringify(envelope) },
    ]);
    await waitFor(until, { what: 'sync result applied' });
  }
  /** Delivers our create's synced result and waits until the row is linked to `stripeId`. */
  const deliverCreateSynced = (id: string, stripeId: string) =>
    deliverResult(
      result(id, 1, 'synced', stripeId),
      async () => (await database.db('customers').where({ id }).first()).stripe_customer_id === stripeId,
    );

  it('records the Stripe id and synced status', async () => {
    const id = crypto.randomUUID();
    await database.db('customers').insert({ id, name: 'S', email: 's@example.com', origin: 'api' });
    await deliverResult(
      result(id, 1, 'synced', 'cus_synced1'),
      async () => (await database.db('customers').where({ id }).first()).sync_status === 'synced',
    );
    expect(await database.db('customers').where({ id }).first()).toMatchObject({
      stripe_customer_id: 'cus_synced1',
      sync_error: null,
    });
  });

  it('records a permanent failure with its reason', async () => {
    const id = crypto.randomUUID();
    await database.db('customers').insert({ id, name: 'F', email: 'f@example.com', origin: 'api' });
    await deliverResult(
      result(id, 1, 'failed', null, { code: 'email_invalid', message: 'Invalid email address' }),
      async () => (await database.db('customers').where({ id }).first()).sync_status === 'failed',
    );
    expect((await database.db('customers').where({ id }).first()).sync_error).toBe('Invalid email address');
  });

  it('re-links a row a stranger claimed while its create was in flight to the customer our create made; the claimant becomes its own duplicate row (issue 9, V1)', async () => {
    const stripe = bed.stripe();
    const { id, ours } = await inFlightCreate('Ours', 'ours-v1@example.com');
    const stranger = await strangerClaims(id, { name: 'Stranger', email: 'evil-v1@example.com' }, 9500);
    await deliverCreateSynced(id, ours.id);
    await waitFor(async () => (await rowOf(stranger.id)) !== undefined, { what: 'claimant row' });
    expect(await database.db('customers').where({ id }).first()).toMatchObject({
      name: 'Ours',
      email: 'ours-v1@example.com',
      deleted_at: null,
      duplicate_of: null,
    });
    expect(await rowOf(stranger.id)).toMatchObject({
      origin: 'stripe',
      name: 'Stranger',
      duplicate_of: id,
      deleted_at: null,
    });
    await stripe.customers.del(stranger.id);
    await deliver(
      customerEvent(
        'customer.deleted',
        { id: stranger.id, name: 'Stranger', metadata: { customer_sync_id: id } },
        9501,
      ),
    );
    expect((await rowOf(stranger.id)).deleted_at).not.toBeNull();
    expect(await database.db('customers').where({ id }).first()).toMatchObject({
      stripe_customer_id: ours.id,
      deleted_at: null,
      name: 'Ours',
    });
  });

  it('re-links the claimed row even when our own customer’s event came first and made it a duplicate row; the claimant takes that row (issue 9, V1)', async () => {
    const { id, ours } = await inFlightCreate('Ours3', 'ours-v3@example.com');
    const stranger = await strangerClaims(id, { name: 'Stranger3' }, 9550);
    await deliver(
      customerEvent(
        'customer.created',
        { id: ours.id, name: 'Ours3', email: 'ours-v3@example.com', metadata: { customer_sync_id: id } },
        9551,
      ),
    );
    expect(await rowOf(ours.id)).toMatchObject({ duplicate_of: id });
    await deliverCreateSynced(id, ours.id);
    expect(await rowOf(stranger.id)).toMatchObject({ origin: 'stripe', name: 'Stranger3', duplicate_of: id });
    expect(await database.db('customers').where({ duplicate_of: id })).toHaveLength(1);
    expect(await database.db('customers').where({ id }).first()).toMatchObject({ name: 'Ours3', deleted_at: null });
  });

  it('after the re-link, an older event of our customer does not undo a newer one it already stored on the duplicate row (issue 9, V1)', async () => {
    const stripe = bed.stripe();
    const { id, ours } = await inFlightCreate('Ours7', 'ours-v7@example.com');
    await stripe.customers.update(ours.id, { name: 'Renamed7' });
    const stranger = await stripe.customers.create({ name: 'Stranger7', metadata: { customer_sync_id: id } });
    const link = { customer_sync_id: id };
    await deliver(customerEvent('customer.created', { id: stranger.id, name: 'Stranger7', metadata: link }, 9700));
    await deliver(
      customerEvent(
        'customer.updated',
        { id: ours.id, name: 'Renamed7', email: 'ours-v7@example.com', metadata: link },
        9702,
        { previous_attributes: { name: 'Ours7' } },
      ),
    );
    await deliverCreateSynced(id, ours.id);
    await deliver(
      customerEvent(
        'customer.created',
        { id: ours.id, name: 'Ours7', email: 'ours-v7@example.com', metadata: link },
        9701,
      ),
    );
    expect(await database.db('customers').where({ id }).first()).toMatchObject({
      stripe_customer_id: ours.id,
      name: 'Renamed7',
      deleted_at: null,
    });
  });

  it('a claimant deleted before our create’s result arrived lets go of the row, which never reads deleted; the result links ours (issue 9, V1)', async () => {
    const stripe = bed.stripe();
    const { id, ours } = await inFlightCreate('Ours4', 'ours-v4@example.com');
    const stranger = await strangerClaims(id, { name: 'Stranger4', email: 'evil-v4@example.com' }, 9560);
    await stripe.customers.del(stranger.id);
    await deliver(
      customerEvent(
        'customer.deleted',
        { id: stranger.id, name: 'Stranger4', email: 'evil-v4@example.com', metadata: { customer_sync_id: id } },
        9561,
      ),
    );
    expect(await database.db('customers').where({ id }).first()).toMatchObject({
      stripe_customer_id: null,
      link_provisional: false,
      deleted_at: null,
      name: 'Ours4',
    });
    expect(await rowOf(stranger.id)).toMatchObject({ origin: 'stripe', duplicate_of: id });
    await deliverCreateSynced(id, ours.id);
    expect(await database.db('customers').where({ id }).first()).toMatchObject({
      email: 'ours-v4@example.com',
      deleted_at: null,
      stripe_deleted_at: null,
      sync_status: 'synced',
    });
    expect((await rowOf(stranger.id)).deleted_at).not.toBeNull();
  });

  it('our own customer deleted in Stripe while its link was provisional: let go as a claimant, then taken back by our create’s result, deleted (issue 9)', async () => {
    const stripe = bed.stripe();
    const { id, ours } = await inFlightCreate('Ours5', 'ours-v5@example.com');
    await deliver(
      customerEvent(
        'customer.created',
        { id: ours.id, name: 'Ours5', email: 'ours-v5@example.com', metadata: { customer_sync_id: id } },
        9580,
      ),
    );
    expect(await database.db('customers').where({ id }).first()).toMatchObject({
      stripe_customer_id: ours.id,
      link_provisional: true,
    });
    await stripe.customers.del(ours.id);
    await deliver(
      customerEvent(
        'customer.deleted',
        { id: ours.id, name: 'Ours5', email: 'ours-v5@example.com', metadata: { customer_sync_id: id } },
        9581,
      ),
    );
    expect(await database.db('customers').where({ id }).first()).toMatchObject({
      stripe_customer_id: null,
      deleted_at: null,
    });
    await deliverCreateSynced(id, ours.id);
    const row = await database.db('customers').where({ id }).first();
    expect(row).toMatchObject({ link_provisional: false, sync_status: 'synced' });
    expect(row.deleted_at).not.toBeNull();
    expect(await database.db('customers').where({ duplicate_of: id })).toHaveLength(0);
  });

  it('never undoes a deletion made through the API, even once retention pruned its delete command from the outbox (issue 9)', async () => {
    // Arrange: a claimant linked the in-flight row; the API deleted the row (its delete command published over a week ago
    // and pruned); the claimant was deleted in Stripe and an operator pulled the row from Stripe, which recorded that deletion.
    const stripe = bed.stripe();
    const { id, ours } = await inFlightCreate('Ours5', 'ours-v5@example.com');
    const stranger = await strangerClaims(id, { name: 'Stranger5' }, 9570);
    // As the API's DELETE leaves it (customers-api.int checks api_deleted_at), with its command published over a week ago.
    await database.db('customers').where({ id }).update({
      deleted_at: database.db.fn.now(),
      api_deleted_at: database.db.fn.now(),
      version: 2,
      sync_status: 'pending',
    });
    const deleteCommand = makeEnvelope(
      'customer.requested',
      {
        action: 'delete' as const,
        customerId: id,
        version: 2,
        stripeCustomerId: stranger.id,
        changes: { fields: {}, metadata: { set: {}, unset: [] } },
      },
      { correlationId: 'c' },
    );
    const week = 7 * 24;
    const publishedAt = new Date(Date.now() - (week + 1) * 3_600_000);
    await database.db('outbox').insert({
      event_id: deleteCommand.id,
      topic: topics.customerRequested,
      message_key: id,
      message: JSON.stringify(deleteCommand),
      published_at: publishedAt,
    });
    await pruneExpired({ db: database.db, rules: [outboxRetention(week)], batchSize: 100 });
    expect(await database.db('outbox').where({ message_key: id })).toEqual([]);
    await stripe.customers.del(stranger.id);
    await pullCustomerFromStripe({ db: database.db, stripe }, id);
    expect((await database.db('customers').where({ id }).first()).stripe_deleted_at).not.toBeNull();

    // Act: our create's result arrives.
    await deliverCreateSynced(id, ours.id);

    // Assert: re-linked to ours and still deleted, as the user asked; the claimant is its own deleted row.
    expect((await database.db('customers').where({ id }).first()).deleted_at).not.toBeNull();
    expect(await rowOf(stranger.id)).toMatchObject({
      origin: 'stripe',
      duplicate_of: id,
      deleted_at: expect.any(Date),
    });
  });

  it('keeps a row deleted through the API while its create was in flight linked to our customer, not to a claimant (issue 9, V2)', async () => {
    const stripe = bed.stripe();
    const id = crypto.randomUUID();
    await database.db('customers').insert({
      id,
      name: 'Gone',
      email: 'gone-v2@example.com',
      origin: 'api',
      version: 2,
      deleted_at: database.db.fn.now(),
    });
    const ours = await stripe.customers.create({
      name: 'Gone',
      email: 'gone-v2@example.com',
      metadata: { customer_sync_id: id },
    });
    const stranger = await strangerClaims(id, { name: 'Claimer' }, 9600);
    await deliverCreateSynced(id, ours.id);
    await waitFor(async () => (await rowOf(stranger.id)) !== undefined, { what: 'claimant row' });
    expect((await database.db('customers').where({ id }).first()).deleted_at).not.toBeNull();
    expect(await rowOf(stranger.id)).toMatchObject({
      origin: 'stripe',
      name: 'Claimer',
      duplicate_of: id,
      deleted_at: null,
    });
  });

  it('does not link a claimant to a row whose own create already failed: the claimant becomes its own duplicate row and the row stays failed (issue 9)', async () => {
    const stripe = bed.stripe();
    const id = crypto.randomUUID();
    await database.db('customers').insert({
      id,
      name: 'Refused',
      email: 'refused@example.com',
      origin: 'api',
      sync_status: 'failed',
      sync_error: 'Invalid email address',
    });
    const claimant = await stripe.customers.create({
      name: 'Claimer',
      email: 'claimer@example.com',
      metadata: { customer_sync_id: id },
    });
    const claim = customerEvent(
      'customer.created',
      { id: claimant.id, name: 'Claimer', email: 'claimer@example.com', metadata: { customer_sync_id: id } },
      9650,
    );
    await deliver(claim);
    expect(await database.db('customers').where({ id }).first()).toMatchObject({
      stripe_customer_id: null,
      name: 'Refused',
      sync_status: 'failed',
    });
    expect(await rowOf(claimant.id)).toMatchObject({ origin: 'stripe', name: 'Claimer', duplicate_of: id });
    expect(await outcomeOf(claim.id)).toBe('duplicate');
  });

  it('unlinks a claimant that linked the in-flight row when our create then fails: the claimant becomes its own duplicate row, the row keeps our values and stays failed (issue 9)', async () => {
    const stripe = bed.stripe();
    const id = crypto.randomUUID();
    await database.db('customers').insert({
      id,
      name: 'Ours6',
      email: 'ours-v6@example.com',
      metadata: { plan: 'pro' },
      origin: 'api',
      pending_fields: { name: 1, email: 1, 'metadata.plan': 1 },
    });
    const stranger = await stripe.customers.create({
      name: 'Stranger6',
      email: 'evil-v6@example.com',
      metadata: { customer_sync_id: id, extra: 'x' },
    });
    await deliver(
      customerEvent(
        'customer.created',
        {
          id: stranger.id,
          name: 'Stranger6',
          email: 'evil-v6@example.com',
          metadata: { customer_sync_id: id, extra: 'x' },
        },
        9660,
      ),
    );
    expect((await database.db('customers').where({ id }).first()).stripe_customer_id).toBe(stranger.id);
    await deliverResult(
      result(id, 1, 'failed', null, { code: 'email_invalid', message: 'Invalid email address' }),
      async () => (await database.db('customers').where({ id }).first()).sync_status === 'failed',
    );
    expect(await database.db('customers').where({ id }).first()).toMatchObject({
      stripe_customer_id: null,
      name: 'Ours6',
      email: 'ours-v6@example.com',
      metadata: { plan: 'pro' },
      deleted_at: null,
    });
    expect(await rowOf(stranger.id)).toMatchObject({
      origin: 'stripe',
      name: 'Stranger6',
      duplicate_of: id,
      metadata: { extra: 'x' },
    });
  });

  it('keeps a newer pending write pending when an older result arrives', async () => {
    const id = crypto.randomUUID();
    await database.db('customers').insert({ id, name: 'P', email: 'p@example.com', origin: 'api', version: 2 });
    await deliverResult(
      result(id, 1, 'synced', 'cus_pending1'),
      async () => (await database.db('customers').where({ id }).first()).stripe_customer_id === 'cus_pending1',
    );
    expect((await database.db('customers').where({ id }).first()).sync_status).toBe('pending');
  });
});

describe('a Stripe edit racing our own writes (issue 9, "two-way sync never loses an edit")', () => {
  const syncResult = (customerId: string, version: number, action: 'create' | 'update', stripeCustomerId: string) =>
    makeEnvelope(
      'customer.sync-result',
      {
        customerId,
        requestId: crypto.randomUUID(),
        action,
        version,
        outcome: 'synced' as const,
        stripeCustomerId,
        error: null,
      },
      { correlationId: 'c' },
    );

  /** Publishes results in order and waits until the last is recorded: the earlier ones, and any refetch they asked for, are done. */
  async function deliverResults(...results: ReturnType<typeof syncResult>[]) {
    await publish(
      bed.producer,
      topics.customerSyncResults,
      results.map((r) => ({ key: r.payload.customerId, value: JSON.stringify(r) })),
    );
    await waitFor(
      async () =>
        (await database
          .db('processed_events')
          .where({ event_id: results.at(-1)!.id })
          .first()) !== undefined,
      { what: 'sync results applied' },
    );
  }

  /** The events the emulator emitted for one customer, oldest first, as Stripe sends them. */
  const eventsOf = (stripeId: string) =>
    (bed.emulator.account.listEvents({ limit: 100 }).data as unknown as Event[])
      .filter((e) => e.data.object.id === stripeId)
      .reverse();

  it('keeps a Stripe rename made between our create and our metadata write when the echo of that write arrives first, alone, before both results (model seed 1325314977)', async () => {
    // Arrange: the API created the row (v1: every field pending) and set metadata a (v2); neither result has arrived.
    const stripe = bed.stripe();
    const id = crypto.randomUUID();
    const email = 'race-c0@example.com';
    await database.db('customers').insert({
      id,
      name: 'Customer 0',
      email,
      metadata: { a: 'a-3' },
      origin: 'api',
      version: 2,
      pending_fields: {
        name: 1,
        email: 1,
        phone: 1,
        description: 1,
        address: 1,
        shipping: 1,
        preferred_locales: 1,
        tax_exempt: 1,
        'metadata.a': 2,
      },
    });
    const ours = await stripe.customers.create(
      { name: 'Customer 0', email, metadata: { customer_sync_id: id, a: 'a-1' } },
      { idempotencyKey: `customer-sync:${crypto.randomUUID()}:create` },
    );
    await stripe.customers.update(ours.id, { name: 'name-4' });
    bed.emulator.account.advanceClock(1);
    await stripe.customers.update(
      ours.id,
      { metadata: { a: 'a-3' } },
      { idempotencyKey: `customer-sync:${crypto.randomUUID()}:update` },
    );
    const [created, renamed, echo] = eventsOf(ours.id);

    // Act: the echo of our metadata write first, then both results, then the held-back events (stale by then).
    await deliver(echo!);
    await deliverResults(syncResult(id, 1, 'create', ours.id), syncResult(id, 2, 'update', ours.id));
    await deliver(created!, renamed!);

    // Assert: the row ends equal to Stripe, the rename included.
    expect(await database.db('customers').where({ id }).first()).toMatchObject({
      name: 'name-4',
      email,
      metadata: { a: 'a-3' },
      stripe_customer_id: ours.id,
      sync_status: 'synced',
      pending_fields: {},
    });
  });

  it('keeps a Stripe rename made after our pending rename reached Stripe when a later edit of another field, naming only that field, arrives first', async () => {
    // Arrange: a synced row; the API renames it (v2, pending); the worker's update reaches Stripe, then the dashboard renames it and edits the phone.
    const stripe = bed.stripe();
    const id = crypto.randomUUID();
    const email = 'race-rename@example.com';
    const ours = await stripe.customers.create(
      { name: 'First', email, metadata: { customer_sync_id: id } },
      { idempotencyKey: `customer-sync:${crypto.randomUUID()}:create` },
    );
    await database.db('customers').insert({
      id,
      name: 'Ours',
      email,
      origin: 'api',
      version: 2,
      stripe_customer_id: ours.id,
      stripe_event_created: eventsOf(ours.id)[0]!.created,
      pending_fields: { name: 2 },
    });
    await stripe.customers.update(
      ours.id,
      { name: 'Ours' },
      { idempotencyKey: `customer-sync:${crypto.randomUUID()}:update` },
    );
    await stripe.customers.update(ours.id, { name: 'Dashboard' });
    bed.emulator.account.advanceClock(1);
    await stripe.customers.update(ours.id, { phone: '+15550000001' });
    const [, echo, renamed, phoned] = eventsOf(ours.id);

    // Act: the phone edit alone (its previous_attributes name only the phone), our result, then the held-back events.
    await deliver(phoned!);
    await deliverResults(syncResult(id, 2, 'update', ours.id));
    await deliver(echo!, renamed!);

    // Assert: the row ends equal to Stripe: the dashboard's rename was the last write of the name.
    expect(await database.db('customers').where({ id }).first()).toMatchObject({
      name: 'Dashboard',
      phone: '+15550000001',
      sync_status: 'synced',
      pending_fields: {},
    });
  });
});
