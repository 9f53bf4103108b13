import { WebhookIngressEnv } from '@customer-sync/config';
import { ErrorBody, StripeEventHeaders } from '@customer-sync/contracts';
import { resolveTopics } from '@customer-sync/kafka';
import { collectTopic, rawRequest, serviceConfig, testKafka, testLogger, uniqueSuffix } from '@customer-sync/testing';
import { start, type WebhookIngress } from '../src/service';
import { HOSTILE_WEBHOOK_CASES } from './hostile-webhook-cases';

const suffix = uniqueSuffix();
const topics = resolveTopics(suffix);

let ingress: WebhookIngress;
let published: Awaited<ReturnType<typeof collectTopic>>;

beforeAll(async () => {
  ingress = await start(
    serviceConfig(WebhookIngressEnv, { KAFKA_TOPIC_SUFFIX: suffix, WEBHOOK_BODY_LIMIT_BYTES: '4096' }),
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

describe('hostile input on POST /stripe/webhook', () => {
  it('has at least 25 cases', () => {
    expect(HOSTILE_WEBHOOK_CASES.length).toBeGreaterThanOrEqual(25);
  });

  it.each(HOSTILE_WEBHOOK_CASES.map((c) => [c.name, c] as const))(
    '%s: answers its documented 4xx with the error body, no stack, and publishes nothing',
    async (_name, c) => {
      const res = await rawRequest(ingress.url, {
        method: c.method ?? 'POST',
        path: c.path ?? '/stripe/webhook',
        headers: c.headers,
        body: c.body,
      });

      expect({ status: res.status, code: (res.json as ErrorBody | undefined)?.error?.code }).toEqual({
        status: c.status,
        code: c.code,
      });
      expect(ErrorBody.safeParse(res.json).success).toBe(true);
      expect(res.text).not.toMatch(/\bat .+:\d+:\d+|stack|node_modules|whsec_/i);
      await new Promise((r) => setTimeout(r, 100));
      expect(published.messages.some((m) => m.headers?.[StripeEventHeaders.eventId]?.toString() === c.eventId)).toBe(
        false,
      );
    },
  );
});
