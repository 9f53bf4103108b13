import type { WebhookIngressConfig } from '@customer-sync/config';
import { createHttpApp, createMetricsRegistry, listen } from '@customer-sync/http';
import { BatchingPublisher, connectServiceKafka, kafkaReadiness } from '@customer-sync/kafka';
import type { Logger } from '@customer-sync/logger';
import { createSignatureVerifier, createWebhookHandler, ingressMetrics, maxEventBodyBytes } from '@customer-sync/webhook-receiver';
import { routeWebhook, webhookMethodGuard } from './entry-points/http/ingress-server';

export interface WebhookIngress {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** Composition root of webhook-ingress: verify, publish to stripe.events, acknowledge. */
export async function start(config: WebhookIngressConfig, logger: Logger): Promise<WebhookIngress> {
  const registry = createMetricsRegistry('webhook-ingress');
  const { kafka, producer, topics, limits } = await connectServiceKafka(config, logger, (t) => [t.stripeEvents], registry);
  const publisher = new BatchingPublisher(producer, topics.stripeEvents);
  // Derived from the topic's max.message.bytes read at start, so a body admitted here can be stored.
  const eventLimitBytes = maxEventBodyBytes(limits.maxMessageBytes(topics.stripeEvents));
  if (eventLimitBytes < config.WEBHOOK_BODY_LIMIT_BYTES) {
    logger.info('webhook bodies limited by the topic', { limitBytes: eventLimitBytes, configuredBytes: config.WEBHOOK_BODY_LIMIT_BYTES });
  }

  const webhook = createWebhookHandler({
    verify: createSignatureVerifier(config.STRIPE_WEBHOOK_SECRET, config.STRIPE_SIGNATURE_TOLERANCE_S),
    publish: (message) => publisher.publish(message),
    limitBytes: config.WEBHOOK_BODY_LIMIT_BYTES,
    eventLimitBytes,
    publishTimeoutMs: config.KAFKA_PUBLISH_TIMEOUT_MS,
    metrics: ingressMetrics(registry),
    logger,
  });
  const readiness = kafkaReadiness(kafka);
  let shuttingDown = false;
  // Not ready while the producer that failed cannot be replaced: the same condition that answers 503.
  const producerCheck = { name: 'kafka-producer', check: () => producer.connect() };
  const app = createHttpApp({ logger, registry, checks: [readiness, producerCheck], routes: [webhookMethodGuard()], isShuttingDown: () => shuttingDown });
  const server = await listen(routeWebhook(webhook, app), config.PORT);
  logger.info('webhook-ingress listening', { url: server.url, topic: topics.stripeEvents });

  return {
    url: server.url,
    port: server.port,
    async stop() {
      shuttingDown = true;
      // In-flight requests finish (and are acknowledged by Kafka) before the producer goes.
      await server.close(config.SHUTDOWN_TIMEOUT_MS / 2);
      await producer.disconnect();
      await readiness.close();
    },
  };
}
