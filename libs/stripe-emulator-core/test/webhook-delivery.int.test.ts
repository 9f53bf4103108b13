import Stripe from 'stripe';
import { STRIPE_API_VERSION } from '@customer-sync/stripe-client';
import { waitFor } from '@customer-sync/testing';
import { emulatorControl, emulatorStripe, startTestEmulator } from '../src';
import { useTestEmulator } from './use-test-emulator';
import { startListener } from './webhook-listener';

const verifier = new Stripe('sk_test_verifier');
const SECRET = 'whsec_emulatortestsecret';

const ctx = useTestEmulator({ retryScheduleMs: [50, 100, 200] });

async function listenerEndpoint(respond?: Parameters<typeof startListener>[0]) {
  const listener = await startListener(respond);
  const endpoint = await ctx.stripe.webhookEndpoints.create({
    url: listener.url,
    enabled_events: ['customer.created', 'customer.updated', 'customer.deleted'],
  });
  return { listener, secret: endpoint.secret! };
}

describe('webhook delivery', () => {
  it('signs every event so that constructEvent accepts it', async () => {
    const { listener, secret } = await listenerEndpoint();
    try {
      expect(secret).toMatch(/^whsec_/);
      const customer = await ctx.stripe.customers.create({ email: 'hook@example.com' });
      await waitFor(() => listener.received.length === 1, { what: 'delivery' });
      const event = verifier.webhooks.constructEvent(
        listener.received[0]!.body,
        listener.received[0]!.signature,
        secret,
      );
      expect(event.type).toBe('customer.created');
      expect((event.data.object as Stripe.Customer).id).toBe(customer.id);
      expect(event).toMatchObject({
        object: 'event',
        livemode: false,
        api_version: expect.any(String),
        request: { id: expect.stringMatching(/^req_/) },
      });
    } finally {
      await listener.close();
    }
  });

  it('renders events in the API version the endpoint is pinned to, and lets its events be changed but not its version', async () => {
    const listener = await startListener();
    try {
      const endpoint = await ctx.stripe.webhookEndpoints.create({
        url: listener.url,
        enabled_events: ['customer.updated'],
        api_version: STRIPE_API_VERSION,
      });
      expect(endpoint.api_version).toBe(STRIPE_API_VERSION);
      const updated = await ctx.stripe.webhookEndpoints.update(endpoint.id, { enabled_events: ['customer.created'] });
      expect(updated.enabled_events).toEqual(['customer.created']);
      await expect(
        ctx.stripe.webhookEndpoints.create({
          url: listener.url,
          enabled_events: ['*'],
          api_version: 'yesterday' as typeof STRIPE_API_VERSION,
        }),
      ).rejects.toMatchObject({ statusCode: 400, param: 'api_version' });

      await ctx.stripe.customers.create({ email: 'pinned@example.com' });
      await waitFor(() => listener.received.length === 1, { what: 'delivery' });
      const event = verifier.webhooks.constructEvent(
        listener.received[0]!.body,
        listener.received[0]!.signature,
        endpoint.secret!,
      );
      expect(event.api_version).toBe(STRIPE_API_VERSION);
    } finally {
      await listener.close();
    }
  });

  it('registers the endpoint from STRIPE_WEBHOOK_URL with STRIPE_WEBHOOK_SECRET at start', async () => {
    const listener = await startListener();
    const configured = await startTestEmulator({ webhookUrl: listener.url, webhookSecret: SECRET });
    try {
      await emulatorStripe(configured).customers.create({ email: 'cfg@example.com' });
      await waitFor(() => listener.received.length === 1, { what: 'delivery' });
      expect(() =>
        verifier.webhooks.constructEvent(listener.received[0]!.body, listener.received[0]!.signature, SECRET),
      ).not.toThrow();
    } finally {
      await configured.stop();
      await listener.close();
    }
  });

  it('reports previous_attributes, with added metadata keys as null', async () => {
    const { listener, secret } = await listenerEndpoint();
    try {
      const c = await ctx.stripe.customers.create({ name: 'Old', email: 'pa@example.com', metadata: { a: '1' } });
      await ctx.stripe.customers.update(c.id, { name: 'New', metadata: { a: '2', added: 'x' } });
      await waitFor(() => listener.received.length === 2, { what: 'two deliveries' });
      const events = listener.received.map((r) => verifier.webhooks.constructEvent(r.body, r.signature, secret));
      const updated = events.find((e) => e.type === 'customer.updated')!;
      expect(updated.data.previous_attributes).toEqual({ name: 'Old', metadata: { a: '1', added: null } });
    } finally {
      await listener.close();
    }
  });

  it('retries a failing endpoint with backoff and records the attempts', async () => {
    const { listener } = await listenerEndpoint((_r, index) => (index < 2 ? 500 : 200));
    try {
      await ctx.stripe.customers.create({ email: 'retry@example.com' });
      await waitFor(() => listener.received.length === 3, { what: 'third attempt' });
      const attempts = ctx.emulator.account.delivery.attempts.map((a) => [a.attempt, a.status]);
      expect(attempts).toEqual([
        [1, 500],
        [2, 500],
        [3, 200],
      ]);
    } finally {
      await listener.close();
    }
  });

  it('delivers duplicates when asked', async () => {
    const { listener } = await listenerEndpoint();
    try {
      await emulatorControl(ctx.emulator, 'delivery', { duplicates: 1 });
      await ctx.stripe.customers.create({ email: 'dup@example.com' });
      await waitFor(() => listener.received.length === 2, { what: 'two copies' });
      expect(JSON.parse(listener.received[0]!.body).id).toBe(JSON.parse(listener.received[1]!.body).id);
    } finally {
      await listener.close();
    }
  });

  it('delivers held events newest first when out-of-order delivery is on', async () => {
    const { listener } = await listenerEndpoint();
    try {
      await emulatorControl(ctx.emulator, 'delivery', { outOfOrder: true });
      const c = await ctx.stripe.customers.create({ email: 'ooo@example.com' });
      await ctx.stripe.customers.update(c.id, { name: 'Second' });
      await new Promise((r) => setTimeout(r, 100));
      expect(listener.received).toHaveLength(0);
      await emulatorControl(ctx.emulator, 'delivery/flush');
      await waitFor(() => listener.received.length === 2, { what: 'held deliveries' });
      expect(listener.received.map((r) => JSON.parse(r.body).type)).toEqual(['customer.updated', 'customer.created']);
    } finally {
      await listener.close();
    }
  });

  it('holds deliveries while paused and sends them on resume', async () => {
    const { listener } = await listenerEndpoint();
    try {
      await emulatorControl(ctx.emulator, 'delivery', { paused: true });
      await ctx.stripe.customers.create({ email: 'pause@example.com' });
      await new Promise((r) => setTimeout(r, 100));
      expect(listener.received).toHaveLength(0);
      await emulatorControl(ctx.emulator, 'delivery', { paused: false });
      await waitFor(() => listener.received.length === 1, { what: 'delivery after resume' });
    } finally {
      await listener.close();
    }
  });
});
