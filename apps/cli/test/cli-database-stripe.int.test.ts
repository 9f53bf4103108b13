import { resolveTopics } from '@customer-sync/kafka';
import { STRIPE_API_VERSION } from '@customer-sync/stripe-client';
import {
  emulatorStripe,
  startTestEmulator,
  TEST_STRIPE_KEY,
  type RunningEmulator,
} from '@customer-sync/stripe-emulator-core';
import {
  createTestDatabase,
  TEST_KAFKA_BROKERS,
  TEST_KAFKA_SECURITY_ENV,
  uniqueSuffix,
  type TestDatabase,
} from '@customer-sync/testing';
import { runCli } from './run-cli';

// Each test runs the CLI as a process several times (a few seconds each on a busy machine).
jest.setTimeout(180_000);

const suffix = uniqueSuffix();
let database: TestDatabase;
let emulator: RunningEmulator;
let env: Record<string, string>;

beforeAll(async () => {
  database = await createTestDatabase();
  emulator = await startTestEmulator();
  env = {
    DATABASE_URL: database.url,
    KAFKA_BROKERS: TEST_KAFKA_BROKERS.join(','),
    ...TEST_KAFKA_SECURITY_ENV,
    KAFKA_TOPIC_SUFFIX: suffix,
    STRIPE_SECRET_KEY: TEST_STRIPE_KEY,
    STRIPE_API_URL: emulator.url,
  };
});
afterAll(async () => {
  await emulator.stop();
  await database.drop();
});

describe('customer-sync migrate', () => {
  it('creates a missing database and applies every migration; a second run has nothing to do', async () => {
    const fresh = await createTestDatabase({ migrated: false });
    try {
      const first = await runCli(['migrate', '--json'], { DATABASE_URL: fresh.url });
      expect(first.code).toBe(0);
      expect(first.json<{ applied: string[] }>().applied).toContain('20261127000001_customers');
      expect((await runCli(['migrate', '--json'], { DATABASE_URL: fresh.url })).json()).toEqual({ applied: [] });
    } finally {
      await fresh.drop();
    }
  });

  it('names a missing variable and fails with exit code 1', async () => {
    const result = await runCli(['migrate'], {});
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/DATABASE_URL is required/);
  });
});

describe('customer-sync reconcile', () => {
  it('--dry-run prints the drift, changes nothing and exits 3; a real run repairs it; then it exits 0', async () => {
    const stripe = emulatorStripe(emulator);
    const missing = await stripe.customers.create({ name: 'Only In Stripe', email: 'only@example.com' });

    const dry = await runCli(['reconcile', '--dry-run', '--json'], env);
    expect(dry.code).toBe(3);
    expect(dry.json()).toMatchObject({
      dryRun: true,
      stats: { inserted: 1 },
      drift: [{ kind: 'inserted', stripeCustomerId: missing.id, customerId: null }],
    });
    expect(dry.stdout).not.toMatch(/only@example\.com/);
    expect(await database.db('customers').where({ stripe_customer_id: missing.id })).toHaveLength(0);

    const repair = await runCli(['reconcile'], env);
    expect(repair.code).toBe(3);
    expect(repair.stdout).toMatch(/inserted 1/);
    expect(await database.db('customers').where({ stripe_customer_id: missing.id })).toHaveLength(1);

    expect((await runCli(['reconcile', '--json'], env)).code).toBe(0);
  });
});

describe('customer-sync resync', () => {
  it('queues a full push through the outbox at a new version', async () => {
    const id = crypto.randomUUID();
    await database.db('customers').insert({
      id,
      name: 'Failed Once',
      email: 'failed@example.com',
      origin: 'api',
      sync_status: 'failed',
      sync_error: 'card_declined',
    });

    const result = await runCli(['resync', id, '--json'], env);

    expect(result.code).toBe(0);
    expect(result.json()).toEqual({
      action: 'queued',
      customer: { id, stripeCustomerId: null, syncStatus: 'pending', deleted: false },
    });
    expect(result.stdout).not.toMatch(/failed@example\.com/);
    expect(await database.db('customers').where({ id }).first()).toMatchObject({
      sync_status: 'pending',
      sync_error: null,
      version: 2,
    });
    const [entry] = await database.db('outbox').where({ message_key: id });
    expect(entry).toMatchObject({ topic: resolveTopics(suffix).customerRequested, published_at: null });
    // Stripe never got this customer: every field goes out as a create.
    expect(entry.message.payload).toMatchObject({
      action: 'create',
      customerId: id,
      version: 2,
      changes: { fields: { name: 'Failed Once', email: 'failed@example.com' } },
    });
  });

  it('--from-stripe makes the row hold what Stripe holds', async () => {
    const id = crypto.randomUUID();
    await database
      .db('customers')
      .insert({ id, name: 'Old', email: 'pull@example.com', origin: 'api', sync_status: 'failed' });
    const inStripe = await emulatorStripe(emulator).customers.create({
      name: 'New In Stripe',
      email: 'pull@example.com',
      metadata: { customer_sync_id: id, tier: 'gold' },
    });

    const result = await runCli(['resync', id, '--from-stripe', '--json'], env);

    expect(result.code).toBe(0);
    expect(result.json()).toMatchObject({
      action: 'pulled',
      customer: { stripeCustomerId: inStripe.id, syncStatus: 'synced' },
    });
    expect(await database.db('customers').where({ id }).first()).toMatchObject({
      name: 'New In Stripe',
      metadata: { tier: 'gold' },
      stripe_customer_id: inStripe.id,
      sync_status: 'synced',
    });
  });

  it('refuses what is not a customer id with exit code 2, and an unknown one with exit code 1', async () => {
    expect((await runCli(['resync', 'cus_123'], env)).code).toBe(2);
    expect((await runCli(['resync', crypto.randomUUID()], env)).code).toBe(1);
  });
});

describe('customer-sync webhook register', () => {
  it('creates the endpoint with exactly the handled events and the pinned version, printing its secret once; a second run finds it', async () => {
    const url = 'https://sync.example.com/stripe/webhook';
    const first = await runCli(['webhook', 'register', '--url', url, '--json'], env);
    expect(first.code).toBe(0);
    const created = first.json<{ id: string; secret: string }>();
    expect(created).toMatchObject({
      action: 'created',
      url,
      events: ['customer.created', 'customer.updated', 'customer.deleted'],
      apiVersion: STRIPE_API_VERSION,
    });
    expect(created.secret).toMatch(/^whsec_/);

    await emulatorStripe(emulator).webhookEndpoints.update(created.id, { enabled_events: ['*'] });
    const second = await runCli(['webhook', 'register', '--url', url], env);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/^updated we_/);
    expect(second.stdout).not.toMatch(/whsec_/);
    const third = await runCli(['webhook', 'register', '--url', url, '--json'], env);
    expect(third.json()).toMatchObject({ action: 'unchanged', id: created.id });
    expect(third.json().secret).toBeUndefined();
  });

  it('needs --url (exit code 2)', async () => {
    expect((await runCli(['webhook', 'register'], env)).code).toBe(2);
    expect((await runCli(['webhook', 'register', '--url', 'ftp://x'], env)).code).toBe(2);
  });
});

describe('customer-sync prune', () => {
  it('--dry-run counts expired rows and deletes nothing; a run deletes them', async () => {
    await database.db('processed_events').insert({
      event_id: 'evt_ancient',
      source: 'stripe',
      outcome: 'applied',
      processed_at: new Date(Date.now() - 400 * 3_600_000),
    });
    const dry = await runCli(['prune', '--dry-run', '--json'], env);
    expect(dry.code).toBe(0);
    expect(dry.json()).toMatchObject({ dryRun: true, expired: { processed_events: 1 } });
    const run = await runCli(['prune', '--json'], env);
    expect(run.json()).toMatchObject({ deleted: { processed_events: 1 } });
    expect(await database.db('processed_events').where({ event_id: 'evt_ancient' })).toHaveLength(0);
  });
});
