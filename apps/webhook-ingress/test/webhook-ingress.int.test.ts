import request from 'supertest';
import { WebhookIngressEnv } from '@customer-sync/config';
import { parseEnvelope, StripeEventHeaders, StripeEventReceived } from '@customer-sync/contracts';
import { resolveTopics } from '@customer-sync/kafka';
import {
  collectTopic,
  fixture,
  serviceConfig,
  signedBody,
  testKafka,
  testLogger,
  TEST_WEBHOOK_SECRET,
  uniqueSuffix,
  waitFor,
} from '@customer-sync/testing';
import { start, type WebhookIngress } from '../src/service';

const suffix = uniqueSuffix();
const topics = resolveTopics(suffix);
const ROTATED_SECRET = 'whsec_nextsecret9876543210';
const event = fixture('event.customer.created.json');
const now = () => Math.floor(Date.now() / 1000);

let ingress: WebhookIngress;
let published: Awaited<ReturnType<typeof collectTopic>>;

beforeAll(async () => {
  ingress = await start(
    serviceConfig(WebhookIngressEnv, {
      KAFKA_TOPIC_SUFFIX: suffix,
      STRIPE_WEBHOOK_SECRET: `${TEST_WEBHOOK_SECRET},${ROTATED_SECRET}`,
      WEBHOOK_BODY_LIMIT_BYTES: '4096',
    }),
    testLogger('webhook-ingress'),
  );
  // Kafka is connected in the background; these tests start once it is.
  await ingress.kafkaStarted;
  published = await collectTopic(testKafka(), topics.stripeEvents);
});
afterAll(async () => {
  await published.stop();
  await ingress.stop();
});

const post = (body: string, signature?: string) => {
  const req = request(ingress.url).post('/stripe/webhook').set('content-type', 'application/json');
  if (signature !== undefined) req.set('stripe-signature', signature);
  return req.send(body);
};

describe('POST /stripe/webhook', () => {
  it('publishes the signed customer.created fixture keyed by the customer, then answers 200', async () => {
    const { body, signature } = signedBody(event, TEST_WEBHOOK_SECRET);
    const res = await post(body, signature);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ received: true });

    const message = await waitFor(
      () => published.messages.find((m) => m.headers?.[StripeEventHeaders.eventId]?.toString() === event.id),
      { what: 'published event' },
    );
    expect(message.key?.toString()).toBe('cus_Sq4VhK2mZt8LcR');
    expect(message.headers?.[StripeEventHeaders.eventType]?.toString()).toBe('customer.created');
    expect(message.headers?.[StripeEventHeaders.apiVersion]?.toString()).toBe('2026-07-29.dahlia');
    const envelope = parseEnvelope(StripeEventReceived, message.value);
    expect(envelope.payload.event).toEqual(event);
    expect(envelope.correlationId).toBe(event.id);
  });

  const stale = now() - 600;
  const future = now() + 600;
  // Each case carries its own event id, so "nothing published" is checked for exactly that event.
  const eventFor = (id: string) => ({ ...event, id: `evt_case_${id}` });
  it.each([
    ['valid', 200, (e: object) => signedBody(e, TEST_WEBHOOK_SECRET)],
    ['second secret of a rotation', 200, (e: object) => signedBody(e, ROTATED_SECRET)],
    ['wrong secret', 400, (e: object) => signedBody(e, 'whsec_wrong')],
    ['stale timestamp', 400, (e: object) => signedBody(e, TEST_WEBHOOK_SECRET, stale)],
    ['future timestamp', 400, (e: object) => signedBody(e, TEST_WEBHOOK_SECRET, future)],
    [
      'tampered body',
      400,
      (e: object) => ({
        ...signedBody(e, TEST_WEBHOOK_SECRET),
        body: JSON.stringify({ ...e, type: 'customer.deleted' }),
      }),
    ],
    ['missing header', 400, (e: object) => ({ body: JSON.stringify(e), signature: undefined })],
    ['garbage header', 400, (e: object) => ({ body: JSON.stringify(e), signature: 'nonsense' })],
    ['non-JSON body', 400, () => signedBody('this is not json', TEST_WEBHOOK_SECRET)],
    ['JSON that is not an event', 400, () => signedBody({ id: 'cus_1', object: 'customer' }, TEST_WEBHOOK_SECRET)],
    ['oversized body', 413, (e: object) => signedBody({ ...e, padding: 'x'.repeat(5000) }, TEST_WEBHOOK_SECRET)],
  ])('%s → %i', async (name, status, make) => {
    const caseEvent = eventFor(name.replace(/\W+/g, '_'));
    const { body, signature } = make(caseEvent);
    const res = await post(body, signature);
    expect(res.status).toBe(status);
    const isPublished = () =>
      published.messages.some((m) => m.headers?.[StripeEventHeaders.eventId]?.toString() === caseEvent.id);
    if (status === 200) {
      await waitFor(isPublished, { what: 'published event' });
    } else {
      expect(res.body.error.code).toEqual(expect.any(String));
      await new Promise((r) => setTimeout(r, 200));
      expect(isPublished()).toBe(false);
    }
  });

  it('acknowledges event types the system does not act on', async () => {
    const invoice = {
      ...event,
      id: 'evt_invoice_paid_1',
      type: 'invoice.paid',
      data: { object: { id: 'in_1', object: 'invoice', customer: 'cus_owner' } },
    };
    const { body, signature } = signedBody(invoice, TEST_WEBHOOK_SECRET);
    expect((await post(body, signature)).status).toBe(200);
    const message = await waitFor(
      () =>
        published.messages.find((m) => m.headers?.[StripeEventHeaders.eventId]?.toString() === 'evt_invoice_paid_1'),
      { what: 'published' },
    );
    expect(message.key?.toString()).toBe('cus_owner');
  });

  it('answers /health, /ready and /metrics', async () => {
    expect((await request(ingress.url).get('/health')).status).toBe(200);
    expect((await request(ingress.url).get('/ready')).body).toMatchObject({ status: 'ready', checks: { kafka: 'ok' } });
    const metrics = (await request(ingress.url).get('/metrics')).text;
    expect(metrics).toMatch(/webhook_events_rejected_total\{reason="invalid_signature"/);
    expect(metrics).toContain('webhook_publish_duration_seconds');
  });
});
