import { rmSync } from 'node:fs';
import { Kafka, logLevel } from 'kafkajs';
import { StripeEventHeaders } from '@customer-sync/contracts';
import { resolveTopics } from '@customer-sync/kafka';
import {
  createTestDatabase,
  customerEvent,
  dedicatedBroker,
  dedicatedBrokerDir,
  freePortRange,
  readTopic,
  serviceProcessEnv,
  signedBody,
  startServiceProcess,
  TEST_API_KEY,
  TEST_WEBHOOK_SECRET,
  uniqueSuffix,
  waitFor,
  type ServiceProcess,
  type TestDatabase,
} from '@customer-sync/testing';

// This file starts Kafka only after the services, so it runs against a broker of its own on free ports.
let port: number;
let broker: ReturnType<typeof dedicatedBroker>;
const suffix = uniqueSuffix();
const topics = resolveTopics(suffix);
let database: TestDatabase;
const services: ServiceProcess[] = [];

beforeAll(async () => {
  port = await freePortRange(2);
  broker = dedicatedBroker(port);
  database = await createTestDatabase();
}, 120_000);
afterAll(async () => {
  await Promise.all(services.map((s) => s.stop()));
  await database?.drop();
  await broker?.destroy();
  if (port) rmSync(dedicatedBrokerDir(port), { recursive: true, force: true });
}, 120_000);

const get = (url: string) =>
  fetch(url).then(async (res) => ({
    status: res.status,
    body: (await res.json().catch(() => undefined)) as Record<string, unknown> | undefined,
  }));
const postWebhook = (url: string, event: unknown) => {
  const { body, signature } = signedBody(event, TEST_WEBHOOK_SECRET);
  return fetch(`${url}/stripe/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'stripe-signature': signature },
    body,
  }).then(async (res) => ({
    status: res.status,
    body: (await res.json()) as { error?: { code: string } },
  }));
};

describe('api-service and webhook-ingress started while Kafka is down', () => {
  it('serve at once (the API takes writes, the ingress answers 503), then publish once Kafka comes', async () => {
    // Arrange: both start with no broker listening.
    const env = {
      ...serviceProcessEnv(database.url, broker.brokers, `no-kafka-${suffix}`, suffix),
      API_KEYS: TEST_API_KEY,
      STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
      OUTBOX_POLL_MS: '250',
    };
    const api = await startServiceProcess('api-service', env);
    services.push(api);
    const ingress = await startServiceProcess('webhook-ingress', env);
    services.push(ingress);

    // Assert: the API is live and ready (the database alone gates it) and accepts a write into the outbox.
    expect((await get(`${api.url}/health`)).status).toBe(200);
    expect((await get(`${api.url}/ready`)).status).toBe(200);
    const created = await fetch(`${api.url}/customers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Offline Start', email: 'offline@example.com' }),
    });
    expect(created.status).toBe(202);
    const { id } = (await created.json()) as { id: string };
    expect(await database.db('outbox').whereNull('published_at').count('* as n').first()).toEqual({ n: '1' });

    // Assert: the ingress is live, not ready with the reason, and refuses webhooks with 503 (Stripe retries).
    expect((await get(`${ingress.url}/health`)).status).toBe(200);
    const notReady = await get(`${ingress.url}/ready`);
    expect(notReady.status).toBe(503);
    expect(notReady.body).toMatchObject({
      status: 'not_ready',
      reasons: { kafka: expect.stringMatching(/not connected to Kafka/) },
    });
    const early = await postWebhook(
      ingress.url,
      customerEvent('customer.created', { id: 'cus_offline_early' }, Math.floor(Date.now() / 1000)),
    );
    expect(early).toEqual({ status: 503, body: { error: expect.objectContaining({ code: 'kafka_unavailable' }) } });

    // Act: Kafka arrives.
    await broker.start();

    // Assert: the ingress turns ready and stores a signed webhook; the API's outbox row is published.
    await waitFor(async () => (await get(`${ingress.url}/ready`)).status === 200, {
      what: 'ingress ready',
      timeoutMs: 90_000,
      intervalMs: 250,
    });
    const event = customerEvent('customer.created', { id: 'cus_offline_late' }, Math.floor(Date.now() / 1000));
    expect((await postWebhook(ingress.url, event)).status).toBe(200);
    await waitFor(
      async () => Number((await database.db('outbox').whereNull('published_at').count('* as n').first())!.n) === 0,
      {
        what: 'outbox row published',
        timeoutMs: 90_000,
        intervalMs: 250,
      },
    );

    const kafka = new Kafka({ clientId: 'no-kafka-test', brokers: [broker.brokers], logLevel: logLevel.NOTHING });
    const stored = await readTopic(kafka, topics.stripeEvents);
    expect(stored.map((m) => m.headers?.[StripeEventHeaders.eventId]?.toString())).toEqual([event.id]);
    const requested = await readTopic(kafka, topics.customerRequested);
    expect(requested.map((m) => m.key?.toString())).toEqual([id]);
  }, 240_000);
});
