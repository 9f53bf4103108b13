import { mkdtempSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES_DIR } from '@customer-sync/testing';
import { createLogger } from '@customer-sync/logger';
import { emulatorControl, emulatorStripe, startEmulator, TEST_STRIPE_KEY } from '../src';
import { useTestEmulator } from './use-test-emulator';

const fixtures = FIXTURES_DIR;
const fixtureCustomer = JSON.parse(readFileSync(join(fixtures, 'customer.json'), 'utf8'));
const openapi = JSON.parse(readFileSync(join(fixtures, 'openapi-customer-schema.json'), 'utf8'));

const ctx = useTestEmulator();

describe('customers through the official SDK', () => {
  it('creates, retrieves, updates and deletes a customer', async () => {
    const created = await ctx.stripe.customers.create({
      name: 'Jenny Rosen',
      email: 'jenny@example.com',
      metadata: { internal_id: 'abc' },
    });
    expect(created.id).toMatch(/^cus_\w{14}$/);
    expect(created).toMatchObject({
      object: 'customer',
      livemode: false,
      name: 'Jenny Rosen',
      metadata: { internal_id: 'abc' },
    });

    expect(await ctx.stripe.customers.retrieve(created.id)).toEqual(created);

    const updated = await ctx.stripe.customers.update(created.id, {
      phone: '+15555550123',
      metadata: { tier: 'gold' },
    });
    expect(updated.phone).toBe('+15555550123');
    expect(updated.metadata).toEqual({ internal_id: 'abc', tier: 'gold' });

    const deleted = await ctx.stripe.customers.del(created.id);
    expect(deleted).toEqual({ id: created.id, object: 'customer', deleted: true });
    expect(await ctx.stripe.customers.retrieve(created.id)).toEqual({
      id: created.id,
      object: 'customer',
      deleted: true,
    });
  });

  it('has the key set of Stripe customer objects, all documented in the OpenAPI schema', async () => {
    const created = await ctx.stripe.customers.create({ email: 'keys@example.com' });
    const keys = Object.keys(created)
      .filter((k) => k !== 'lastResponse')
      .sort();
    expect(keys).toEqual(Object.keys(fixtureCustomer).sort());
    const schema = openapi.components.schemas.customer;
    for (const key of keys) expect(schema.properties).toHaveProperty(key);
    for (const required of schema.required) expect(created).toHaveProperty(required);
    expect(typeof created.created).toBe('number');
  });

  it('lists newest first and pages both ways without gaps or repeats', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push((await ctx.stripe.customers.create({ email: `p${i}@example.com` })).id);
    const newestFirst = [...ids].reverse();

    const first = await ctx.stripe.customers.list({ limit: 3 });
    expect(first.data.map((c) => c.id)).toEqual(newestFirst.slice(0, 3));
    expect(first.has_more).toBe(true);
    const second = await ctx.stripe.customers.list({ limit: 3, starting_after: first.data[2]!.id });
    expect(second.data.map((c) => c.id)).toEqual(newestFirst.slice(3, 6));
    const back = await ctx.stripe.customers.list({ limit: 3, ending_before: second.data[0]!.id });
    expect(back.data.map((c) => c.id)).toEqual(newestFirst.slice(0, 3));

    const all: string[] = [];
    for await (const customer of ctx.stripe.customers.list({ limit: 2 })) all.push(customer.id);
    expect(all).toEqual(newestFirst);
  });

  it('filters the list by email and by created range', async () => {
    await ctx.stripe.customers.create({ email: 'a@example.com' });
    const b = await ctx.stripe.customers.create({ email: 'b@example.com' });
    expect((await ctx.stripe.customers.list({ email: 'b@example.com' })).data.map((c) => c.id)).toEqual([b.id]);
    expect((await ctx.stripe.customers.list({ created: { gte: b.created } })).data.length).toBe(2);
    expect((await ctx.stripe.customers.list({ created: { gt: b.created + 10 } })).data).toEqual([]);
  });

  it('searches by email, name and metadata, joined with AND', async () => {
    const jenny = await ctx.stripe.customers.create({
      name: 'Jenny Rosen',
      email: 'jenny@example.com',
      metadata: { internal_id: 'u-1' },
    });
    await ctx.stripe.customers.create({
      name: 'Jenny Other',
      email: 'other@example.com',
      metadata: { internal_id: 'u-2' },
    });
    const byMeta = await ctx.stripe.customers.search({ query: "metadata['internal_id']:'u-1'" });
    expect(byMeta.data.map((c) => c.id)).toEqual([jenny.id]);
    const both = await ctx.stripe.customers.search({ query: "name:'Jenny Rosen' AND email:'jenny@example.com'" });
    expect(both.data.map((c) => c.id)).toEqual([jenny.id]);
    expect((await ctx.stripe.customers.search({ query: "email:'nobody@example.com'" })).data).toEqual([]);
  });

  it('pages search results', async () => {
    for (let i = 0; i < 3; i++) await ctx.stripe.customers.create({ name: 'Same', email: `s${i}@example.com` });
    const page1 = await ctx.stripe.customers.search({ query: "name:'Same'", limit: 2 });
    expect(page1.has_more).toBe(true);
    const page2 = await ctx.stripe.customers.search({ query: "name:'Same'", limit: 2, page: page1.next_page! });
    expect(page2.data).toHaveLength(1);
    expect(page2.has_more).toBe(false);
  });
});

describe('the customer profile through the SDK', () => {
  const address = { line1: '1 Rue de Rivoli', city: 'Paris', postal_code: '75001', country: 'FR' };
  const stored = { ...address, line2: null, state: null };
  const lastEvent = async () => (await ctx.stripe.events.list({ limit: 1 })).data[0]!;

  it('stores address, shipping, preferred locales and tax exemption as Stripe returns them', async () => {
    const created = await ctx.stripe.customers.create({
      email: 'profile@example.com',
      address,
      shipping: { name: 'Jenny Rosen', phone: '+33123456789', address },
      preferred_locales: ['fr-FR', 'en'],
      tax_exempt: 'exempt',
    });
    expect(created).toMatchObject({
      address: stored,
      shipping: { name: 'Jenny Rosen', phone: '+33123456789', address: stored },
      preferred_locales: ['fr-FR', 'en'],
      tax_exempt: 'exempt',
    });
    expect(await ctx.stripe.customers.retrieve(created.id)).toEqual(created);
    expect((await lastEvent()).data.object).toMatchObject({ address: stored, preferred_locales: ['fr-FR', 'en'] });
  });

  it('emits customer.updated with only the changed nested keys in previous_attributes', async () => {
    const c = await ctx.stripe.customers.create({ address, shipping: { name: 'Jenny', address } });
    await ctx.stripe.customers.update(c.id, {
      address: { city: 'Lyon' },
      shipping: { name: 'Jenny', phone: '+33100000000', address: { ...address, city: 'Lyon' } },
    });
    const event = await lastEvent();
    expect(event.type).toBe('customer.updated');
    expect(event.data.object).toMatchObject({ address: { ...stored, city: 'Lyon' } });
    expect(event.data.previous_attributes).toEqual({
      address: { city: 'Paris' },
      shipping: { phone: null, address: { city: 'Paris' } },
    });
  });

  it('unsets address and shipping and empties preferred locales with empty strings', async () => {
    const c = await ctx.stripe.customers.create({
      address,
      shipping: { name: 'Jenny', address },
      preferred_locales: ['fr'],
      tax_exempt: 'reverse',
    });
    const cleared = await ctx.stripe.customers.update(c.id, {
      address: '',
      shipping: '',
      preferred_locales: '' as unknown as string[],
      tax_exempt: '',
    });
    expect(cleared).toMatchObject({ address: null, shipping: null, preferred_locales: [], tax_exempt: 'none' });
    expect((await lastEvent()).data.previous_attributes).toEqual({
      address: stored,
      shipping: { name: 'Jenny', phone: null, address: stored },
      preferred_locales: ['fr'],
      tax_exempt: 'reverse',
    });
  });

  it("refuses what Stripe refuses, in Stripe's error shape, and changes nothing", async () => {
    const c = await ctx.stripe.customers.create({ email: 'refuse@example.com' });
    await expect(ctx.stripe.customers.update(c.id, { shipping: { address } as never })).rejects.toMatchObject({
      statusCode: 400,
      code: 'parameter_missing',
      param: 'shipping[name]',
    });
    await expect(ctx.stripe.customers.update(c.id, { tax_exempt: 'partial' as never })).rejects.toMatchObject({
      statusCode: 400,
      param: 'tax_exempt',
    });
    await expect(ctx.stripe.customers.update(c.id, { address: { street: 'x' } as never })).rejects.toMatchObject({
      code: 'parameter_unknown',
      param: 'address[street]',
    });
    expect(await ctx.stripe.customers.retrieve(c.id)).toMatchObject({
      address: null,
      shipping: null,
      tax_exempt: 'none',
    });
    expect((await ctx.stripe.events.list()).data.map((e) => e.type)).toEqual(['customer.created']);
  });
});

describe('idempotency', () => {
  it('replays the first answer for the same key and parameters', async () => {
    const first = await ctx.stripe.customers.create({ email: 'idem@example.com' }, { idempotencyKey: 'key-1' });
    const again = await ctx.stripe.customers.create({ email: 'idem@example.com' }, { idempotencyKey: 'key-1' });
    expect(again.id).toBe(first.id);
    expect(again.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect((await ctx.stripe.customers.list()).data).toHaveLength(1);
  });

  it('refuses the same key with other parameters', async () => {
    await ctx.stripe.customers.create({ email: 'one@example.com' }, { idempotencyKey: 'key-2' });
    await expect(
      ctx.stripe.customers.create({ email: 'two@example.com' }, { idempotencyKey: 'key-2' }),
    ).rejects.toMatchObject({
      type: 'StripeIdempotencyError',
      statusCode: 400,
    });
  });

  it('acts on a whole request whose client hung up during the latency, and replays that answer to the retry', async () => {
    // A worker killed after sending its request: Stripe received it whole, so it acts on it.
    const customer = await ctx.stripe.customers.create({ name: 'before' });
    await emulatorControl(ctx.emulator, 'faults', { latencyMs: 300 });
    const body = 'name=after';
    const url = new URL(ctx.emulator.url);
    const socket = connect(Number(url.port), url.hostname, () =>
      socket.write(
        `POST /v1/customers/${customer.id} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TEST_STRIPE_KEY}\r\nIdempotency-Key: key-3\r\n` +
          `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
        () => setTimeout(() => socket.resetAndDestroy(), 50),
      ),
    );
    socket.on('error', () => undefined);
    await new Promise((resolve) => setTimeout(resolve, 600));
    await emulatorControl(ctx.emulator, 'faults', { latencyMs: 0 });

    expect(await ctx.stripe.customers.retrieve(customer.id)).toMatchObject({ name: 'after' });
    const retried = await ctx.stripe.customers.update(customer.id, { name: 'after' }, { idempotencyKey: 'key-3' });
    expect(retried.lastResponse.headers['idempotent-replayed']).toBe('true');
  });
});

describe('errors in Stripe shape', () => {
  it('answers 404 resource_missing for an unknown id', async () => {
    await expect(ctx.stripe.customers.retrieve('cus_missing')).rejects.toMatchObject({
      statusCode: 404,
      type: 'StripeInvalidRequestError',
      code: 'resource_missing',
      param: 'id',
    });
  });

  it('answers 400 with the parameter for bad input', async () => {
    await expect(ctx.stripe.customers.create({ email: 'not-an-email' })).rejects.toMatchObject({
      statusCode: 400,
      param: 'email',
    });
    await expect(ctx.stripe.customers.create({ bogus: 'x' } as never)).rejects.toMatchObject({
      statusCode: 400,
      code: 'parameter_unknown',
      param: 'bogus',
    });
  });

  it('answers 401 without a valid test key', async () => {
    const wrong = emulatorStripe(ctx.emulator, 'sk_live_notallowed');
    await expect(wrong.customers.list()).rejects.toMatchObject({ statusCode: 401, type: 'StripeAuthenticationError' });
  });

  it('injects rate limits and server errors on request', async () => {
    await emulatorControl(ctx.emulator, 'faults', { failNext: 1, failStatus: 429 });
    await expect(ctx.stripe.customers.list()).rejects.toMatchObject({ statusCode: 429, type: 'StripeRateLimitError' });
    await emulatorControl(ctx.emulator, 'faults', { failNext: 1, failStatus: 500 });
    await expect(ctx.stripe.customers.list()).rejects.toMatchObject({ statusCode: 500, type: 'StripeAPIError' });
    await expect(ctx.stripe.customers.list()).resolves.toMatchObject({ object: 'list' });
  });
});

describe('events', () => {
  it('keeps every change as an event, newest first, filterable by type', async () => {
    const c = await ctx.stripe.customers.create({ email: 'ev@example.com' });
    await ctx.stripe.customers.update(c.id, { name: 'Ev' });
    const all = await ctx.stripe.events.list();
    expect(all.data.map((e) => e.type)).toEqual(['customer.updated', 'customer.created']);
    const created = await ctx.stripe.events.list({ type: 'customer.created' });
    expect(created.data).toHaveLength(1);
    expect((await ctx.stripe.events.retrieve(created.data[0]!.id)).type).toBe('customer.created');
  });
});

describe('webhook endpoints', () => {
  it('are created with a secret, listed and retrieved without it, and deleted', async () => {
    const created = await ctx.stripe.webhookEndpoints.create({
      url: 'http://127.0.0.1:9/hook',
      enabled_events: ['customer.created'],
    });
    expect(created.secret).toMatch(/^whsec_/);
    const fetched = await ctx.stripe.webhookEndpoints.retrieve(created.id);
    expect(fetched).toMatchObject({
      id: created.id,
      url: 'http://127.0.0.1:9/hook',
      enabled_events: ['customer.created'],
    });
    expect(fetched.secret).toBeUndefined();
    expect((await ctx.stripe.webhookEndpoints.list()).data.map((e) => e.id)).toContain(created.id);
    expect(await ctx.stripe.webhookEndpoints.del(created.id)).toMatchObject({ id: created.id, deleted: true });
    await expect(ctx.stripe.webhookEndpoints.retrieve(created.id)).rejects.toMatchObject({ statusCode: 404 });
  });
});

describe('snapshot file', () => {
  it('keeps customers across a restart', async () => {
    const file = `${mkdtempSync(`${tmpdir()}/emulator-`)}/state.json`;
    const options = {
      PORT: 0,
      STRIPE_WEBHOOK_URL: undefined,
      STRIPE_WEBHOOK_SECRET: undefined,
      EMULATOR_RETRY_SCHEDULE_MS: [],
      EMULATOR_DELIVERY_TIMEOUT_MS: 1000,
      EMULATOR_ADMIN: false,
      EMULATOR_SNAPSHOT_FILE: file,
    };
    const logger = createLogger({ service: 'emulator', silent: true });
    const first = await startEmulator(options, logger);
    const created = await emulatorStripe(first).customers.create({ email: 'kept@example.com' });
    await first.stop();
    const second = await startEmulator(options, logger);
    try {
      expect(await emulatorStripe(second).customers.retrieve(created.id)).toMatchObject({ email: 'kept@example.com' });
    } finally {
      await second.stop();
    }
  });
});
