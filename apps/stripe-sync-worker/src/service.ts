import type { StripeSyncWorkerConfig } from '@customer-sync/config';
import { createHttpApp, createMetricsRegistry, listen } from '@customer-sync/http';
import { startServiceConsumer } from '@customer-sync/kafka';
import type { Logger } from '@customer-sync/logger';
import { createStripeClient } from '@customer-sync/stripe-client';
import { createStripeCaller, RateLimiter } from '@customer-sync/stripe-sync';
import { startRequestedConsumer } from './entry-points/kafka/requested-consumer';
import { checkStripeKey, stripeKeyReadiness } from './stripe-key-check';

export interface StripeSyncWorker {
  url: string;
  /** Resolves once the Kafka side is up (topics exist, the consumer is joining its group). */
  kafkaStarted: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Composition root of stripe-sync-worker: Stripe client behind a shared rate limit and a key gate
 * (a refused key pauses consumption and fails /ready until a probe succeeds), consumer, health server.
 * The health server does not wait for Kafka; the consumer connects in the background (see startServiceConsumer).
 */
export async function start(
  config: StripeSyncWorkerConfig,
  logger: Logger,
  onFatal: (error: unknown) => void = () => process.exit(1),
): Promise<StripeSyncWorker> {
  const registry = createMetricsRegistry('stripe-sync-worker');
  const stripe = createStripeClient({
    secretKey: config.STRIPE_SECRET_KEY,
    apiUrl: config.STRIPE_API_URL,
    timeoutMs: config.STRIPE_TIMEOUT_MS,
  });
  const limiter = new RateLimiter(config.STRIPE_MAX_RPS);
  const keyGate = await checkStripeKey(config, { stripe, limiter, logger, registry });
  const call = createStripeCaller({
    limiter,
    maxAttempts: config.STRIPE_MAX_ATTEMPTS,
    backoff: { baseMs: config.RETRY_BASE_MS, maxMs: config.RETRY_MAX_MS },
    logger,
    registry,
  });
  const kafka = startServiceConsumer(
    config,
    logger,
    (t) => [t.customerRequested, t.customerSyncResults],
    (bus) => startRequestedConsumer(config, { ...bus, logger, registry, stripe, call, keyGate, onFatal }),
    { onFatal, registry },
  );

  let shuttingDown = false;
  const app = createHttpApp({
    logger,
    registry,
    checks: [kafka.readiness, stripeKeyReadiness(keyGate)],
    isShuttingDown: () => shuttingDown,
  });
  const server = await listen(app, config.PORT);
  logger.info('stripe-sync-worker running', { url: server.url });

  return {
    url: server.url,
    kafkaStarted: kafka.started.then(() => undefined),
    async stop() {
      shuttingDown = true;
      keyGate.stop();
      await kafka.stop();
      await server.close(2000);
    },
  };
}
