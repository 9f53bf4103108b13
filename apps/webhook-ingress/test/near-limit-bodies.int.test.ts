import request from 'supertest';
import { WebhookIngressEnv } from '@customer-sync/config';
import { StripeEventHeaders } from '@customer-sync/contracts';
import { resolveTopics } from '@customer-sync/kafka';
import {
  fixture,
  readTopic,
  serviceConfig,
  signedBody,
  testKafka,
  testLogger,
  TEST_WEBHOOK_SECRET,
  uniqueSuffix,
} from '@customer-sync/testing';
import { start, type WebhookIngress } from '../src/service';

const suffix = uniqueSuffix();
const topics = resolveTopics(suffix);
const event = fixture('event.customer.created.json');

let ingress: WebhookIngress;

// The default 1 MiB HTTP limit on the broker's default message limit: the range where they disagree.
beforeAll(async () => {
  ingress = await start(
    serviceConfig(WebhookIngressEnv, { KAFKA_TOPIC_SUFFIX: suffix }),
    testLogger('webhook-ingress'),
  );
  // Kafka is connected in the background; these tests start once it is.
  await ingress.kafkaStarted;
});
afterAll(async () => {
  await ingress.stop();
});

/** A signed event whose body is exactly `bytes` long (padded inside the customer's metadata). */
function signedEventOfSize(id: string, bytes: number) {
  const padded = (n: number) => ({
    ...event,
    id,
    data: { object: { ...(event.data as { object: object }).object, metadata: { padding: 'x'.repeat(n) } } },
  });
  const base = JSON.stringify(padded(0)).length;
  return signedBody(padded(bytes - base), TEST_WEBHOOK_SECRET);
}

describe('POST /stripe/webhook with near-limit bodies while Kafka is healthy', () => {
  const sizes = [1_040_000, 1_047_000, 1_048_000, 1_048_150, 1_048_300, 1_048_450, 1_048_576, 1_048_577];
  it('answers 200 (and the event is stored) or 413 with a clear code, never 503', async () => {
    const answers: Record<number, { status: number; code?: string }> = {};
    for (const size of sizes) {
      const { body, signature } = signedEventOfSize(`evt_near_limit_${size}`, size);
      expect(Buffer.byteLength(body)).toBe(size);
      const res = await request(ingress.url)
        .post('/stripe/webhook')
        .set('content-type', 'application/json')
        .set('stripe-signature', signature)
        .send(body);
      answers[size] = { status: res.status, code: res.body?.error?.code };
    }

    const stored = new Set(
      (await readTopic(testKafka(), topics.stripeEvents)).map((m) =>
        m.headers?.[StripeEventHeaders.eventId]?.toString(),
      ),
    );
    expect(
      sizes.filter((size) => ![200, 413].includes(answers[size]!.status)).map((size) => ({ size, ...answers[size] })),
    ).toEqual([]);
    for (const size of sizes) {
      const { status, code } = answers[size]!;
      if (status === 200) expect(stored.has(`evt_near_limit_${size}`)).toBe(true);
      else expect(code).toMatch(/^(payload_too_large|event_too_large)$/);
    }
    // Well under the limit is accepted; beyond the HTTP limit is refused as before.
    expect(answers[1_040_000]!.status).toBe(200);
    expect(answers[1_048_577]).toEqual({ status: 413, code: 'payload_too_large' });
    expect(answers[1_048_450]).toEqual({ status: 413, code: 'event_too_large' });
    expect((await request(ingress.url).get('/metrics')).text).toMatch(
      /webhook_events_rejected_total\{reason="event_too_large"[^}]*\} [1-9]/,
    );
    expect((await request(ingress.url).get('/ready')).body).toMatchObject({
      status: 'ready',
      checks: { kafka: 'ok', 'kafka-producer': 'ok' },
    });
  });
});

describe('POST /stripe/webhook with attacker-sized ids (the tester froze the ingress for 17 s and 50 s)', () => {
  it('answers 400 id_too_long for a 400,000-character customer id and a 60,000-character event id, while a normal event beside them gets 200', async () => {
    const object = (event.data as { object: object }).object;
    const longCustomer = signedBody(
      { ...event, id: 'evt_long_customer', data: { object: { ...object, id: `cus_${'c'.repeat(400_000)}` } } },
      TEST_WEBHOOK_SECRET,
    );
    const longEvent = signedBody({ ...event, id: `evt_${'e'.repeat(60_000)}` }, TEST_WEBHOOK_SECRET);
    const normal = signedBody({ ...event, id: 'evt_beside_long_ids' }, TEST_WEBHOOK_SECRET);
    const post = ({ body, signature }: { body: string; signature: string }) =>
      request(ingress.url)
        .post('/stripe/webhook')
        .set('content-type', 'application/json')
        .set('stripe-signature', signature)
        .send(body);

    const [a, b, c] = await Promise.all([post(longCustomer), post(longEvent), post(normal)]);

    expect([a.status, a.body?.error?.code]).toEqual([400, 'id_too_long']);
    expect([b.status, b.body?.error?.code]).toEqual([400, 'id_too_long']);
    expect(c.status).toBe(200);
  });
});
