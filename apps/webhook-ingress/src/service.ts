import type { RequestListener } from 'node:http';
import type { WebhookIngressConfig } from '@customer-sync/config';
import { createHttpApp, createMetricsRegistry, listen } from '@customer-sync/http';
import { BatchingPublisher, startServiceKafka, type ServiceKafka } from '@customer-sync/kafka';
import type { Logger } from '@customer-sync/logger';
import {
  createSignatureVerifier,
  createWebhookHandler,
  ingressMetrics,
  kafkaUnavailableHandler,
  maxEventBodyBytes,
  type IngressMetrics,
} from '@customer-sync/webhook-receiver';
import { routeWebhook, webhookMethodGuard } from './entry-points/http/ingress-server';

export interface WebhookIngress {
  url: string;
  port: number;
  /** Resolves once webhooks are taken: connected to Kafka, the topic's size limit read. */
  kafkaStarted: Promise<void>;
  stop(): Promise<void>;
}

/** The webhook handler on a connected Kafka: the body limit derived from the topic's max.message.bytes. */
function webhookOnKafka(
  config: WebhookIngressConfig,
  { producer, topics, limits }: ServiceKafka,
  deps: { metrics: IngressMetrics; logger: Logger },
): RequestListener {
  const publisher = new BatchingPublisher(producer, topics.stripeEvents, undefined, config.KAFKA_PUBLISH_LINGER_MS);
  // Derived from the limit read from the broker, so a body admitted here can be stored.
  const eventLimitBytes = maxEventBodyBytes(limits.maxMessageBytes(topics.stripeEvents));
  if (eventLimitBytes < config.WEBHOOK_BODY_LIMIT_BYTES) {
    deps.logger.info('webhook bodies limited by the topic', {
      limitBytes: eventLimitBytes,
      configuredBytes: config.WEBHOOK_BODY_LIMIT_BYTES,
    });
  }
  return createWebhookHandler({
    verify: createSignatureVerifier(config.STRIPE_WEBHOOK_SECRET, config.STRIPE_SIGNATURE_TOLERANCE_S),
    publish: (message) => publisher.publish(message),
    limitBytes: config.WEBHOOK_BODY_LIMIT_BYTES,
    eventLimitBytes,
    publishTimeoutMs: config.KAFKA_PUBLISH_TIMEOUT_MS,
    ...deps,
  });
}

/**
 * Composition root of webhook-ingress: verify, publish to stripe.events, acknowledge. /health answers
 * at once; Kafka is connected in the background (see startServiceKafka), and until it is (and the
 * topic's limit is read) /ready is 503 with the reason and webhooks get 503 kafka_unavailable. A
 * Kafka refusal no retry fixes calls onFatal.
 */
export async function start(
  config: WebhookIngressConfig,
  logger: Logger,
  onFatal: (error: unknown) => void = () => process.exit(1),
): Promise<WebhookIngress> {
  const registry = createMetricsRegistry('webhook-ingress');
  const metrics = ingressMetrics(registry);
  const kafka = startServiceKafka(
    config,
    logger,
    (t) => [t.stripeEvents],
    async (bus) => ({ handle: webhookOnKafka(config, bus, { metrics, logger }), stop: async () => undefined }),
    { onFatal, registry },
  );
  const unavailable = kafkaUnavailableHandler(metrics);
  const webhook: RequestListener = (req, res) => (kafka.current()?.part.handle ?? unavailable)(req, res);

  let shuttingDown = false;
  // Not ready while the producer that failed cannot be replaced: the same condition that answers 503.
  const producerCheck = {
    name: 'kafka-producer',
    check: async () => {
      const side = kafka.current();
      if (!side) throw new Error('not connected to Kafka yet');
      await side.bus.producer.connect();
    },
  };
  const app = createHttpApp({
    logger,
    registry,
    checks: [kafka.readiness, producerCheck],
    routes: [webhookMethodGuard()],
    isShuttingDown: () => shuttingDown,
  });
  const server = await listen(routeWebhook(webhook, app), config.PORT);
  logger.info('webhook-ingress listening', { url: server.url });
  void kafka.started.then(({ bus }) =>
    logger.info('webhook-ingress taking webhooks', { topic: bus.topics.stripeEvents }),
  );

  return {
    url: server.url,
    port: server.port,
    kafkaStarted: kafka.started.then(() => undefined),
    async stop() {
      shuttingDown = true;
      // In-flight requests finish (and are acknowledged by Kafka) before the producer goes.
      await server.close(config.SHUTDOWN_TIMEOUT_MS / 2);
      await kafka.stop();
    },
  };
}
