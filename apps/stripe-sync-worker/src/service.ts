import type { StripeSyncWorkerConfig } from '@customer-sync/config';
import { createHttpApp, createMetricsRegistry, listen } from '@customer-sync/http';
import { connectServiceKafka, kafkaReadiness } from '@customer-sync/kafka';
import type { Logger } from '@customer-sync/logger';
import { createStripeClient } from '@customer-sync/stripe-client';
import { createStripeCaller, RateLimiter } from '@customer-sync/stripe-sync';
import { startRequestedConsumer } from './entry-points/kafka/requested-consumer';
import { checkStripeKey, stripeKeyReadiness } from './stripe-key-check';

export interface StripeSyncWorker {
  url: string;
  stop(): Promise<void>;
}

/**
 * Composition root of stripe-sync-worker: Stripe client behind a shared rate limit and a key gate
 * (a refused key pauses consumption and fails /ready until a probe succeeds), consumer, health server.
 */
export async function start(config: StripeSyncWorkerConfig, logger: Logger, onFatal: (error: unknown) => void = () => process.exit(1)): Promise<StripeSyncWorker> {
  const registry = createMetricsRegistry('stripe-sync-worker');
  const bus = await connectServiceKafka(config, logger, (t) => [t.customerRequested, t.customerSyncResults], registry);
  const { kafka, producer, topics } = bus;

  const stripe = createStripeClient({ secretKey: config.STRIPE_SECRET_KEY, apiUrl: config.STRIPE_API_URL, timeoutMs: config.STRIPE_TIMEOUT_MS });
  const limiter = new RateLimiter(config.STRIPE_MAX_RPS);
  const keyGate = await checkStripeKey(config, { stripe, limiter, logger, registry });
  const call = createStripeCaller({
    limiter,
    maxAttempts: config.STRIPE_MAX_ATTEMPTS,
    backoff: { baseMs: config.RETRY_BASE_MS, maxMs: config.RETRY_MAX_MS },
    logger,
    registry,
  });
  const consumer = await startRequestedConsumer(config, { ...bus, logger, registry, stripe, call, keyGate, onFatal });

  const readiness = kafkaReadiness(kafka);
  let shuttingDown = false;
  const app = createHttpApp({ logger, registry, checks: [readiness, stripeKeyReadiness(keyGate)], isShuttingDown: () => shuttingDown });
  const server = await listen(app, config.PORT);
  logger.info('stripe-sync-worker running', { url: server.url, topic: topics.customerRequested });

  return {
    url: server.url,
    async stop() {
      shuttingDown = true;
      keyGate.stop();
      await consumer.stop();
      await producer.disconnect();
      await readiness.close();
      await server.close(2000);
    },
  };
}
