import request from 'supertest';
import { WebhookIngressEnv } from '@customer-sync/config';
import {
  fixture,
  serviceConfig,
  signedBody,
  testLogger,
  TEST_WEBHOOK_SECRET,
  uniqueSuffix,
  waitFor,
} from '@customer-sync/testing';
import { start, type WebhookIngress } from '../src/service';

const event = fixture('event.customer.created.json');

let ingress: WebhookIngress;

beforeAll(async () => {
  // Not waiting for kafkaStarted: these tests watch the start from outside, as a load balancer does.
  ingress = await start(
    serviceConfig(WebhookIngressEnv, { KAFKA_TOPIC_SUFFIX: uniqueSuffix() }),
    testLogger('webhook-ingress'),
  );
});
afterAll(async () => {
  await ingress.stop();
});

const postEvent = (id: string) => {
  const { body, signature } = signedBody({ ...event, id }, TEST_WEBHOOK_SECRET);
  return request(ingress.url)
    .post('/stripe/webhook')
    .set('content-type', 'application/json')
    .set('stripe-signature', signature)
    .send(body);
};

describe('webhook-ingress while it starts', () => {
  it('serves /health at once but is not ready, and answers webhooks 503 kafka_unavailable, until its Kafka side is up', async () => {
    expect((await request(ingress.url).get('/health')).status).toBe(200);
    const ready = await request(ingress.url).get('/ready');
    const webhook = await postEvent('evt_startup_early');
    // Kafka is connected in the background: on a fast broker it may already be up, then both agree.
    if (ready.status === 503) {
      expect(ready.body).toMatchObject({ status: 'not_ready' });
    }
    expect([200, 503]).toContain(webhook.status);
    if (webhook.status === 503) expect(webhook.body.error.code).toBe('kafka_unavailable');
  });

  it('once /ready answers 200, takes every webhook of a burst (none answered 503)', async () => {
    await waitFor(async () => (await request(ingress.url).get('/ready')).status === 200, {
      what: '/ready 200',
      timeoutMs: 30_000,
    });

    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => postEvent(`evt_startup_burst_${i}`)));

    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(200));
  });
});
