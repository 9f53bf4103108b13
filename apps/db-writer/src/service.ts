import type { DbWriterConfig } from '@customer-sync/config';
import { reconcile, reconcileMetrics } from '@customer-sync/customer-writer';
import { createDb, pingDb, processedEventsRetention, startRetention } from '@customer-sync/db';
import { createHttpApp, createMetricsRegistry, listen } from '@customer-sync/http';
import { startServiceConsumer } from '@customer-sync/kafka';
import type { Logger } from '@customer-sync/logger';
import { createStripeClient } from '@customer-sync/stripe-client';
import { startWriterConsumer } from './entry-points/kafka/writer-consumer';

export interface DbWriter {
  url: string;
  /** Resolves once the Kafka side is up (topics exist, the consumer is joining its group). */
  kafkaStarted: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Composition root of db-writer: the only writer of Stripe-derived state in PostgreSQL. The health
 * server does not wait for Kafka; the consumer connects in the background (see startServiceConsumer).
 */
export async function start(
  config: DbWriterConfig,
  logger: Logger,
  onFatal: (error: unknown) => void = () => process.exit(1),
): Promise<DbWriter> {
  const registry = createMetricsRegistry('db-writer');
  const db = createDb({
    url: config.DATABASE_URL,
    poolMin: config.DATABASE_POOL_MIN,
    poolMax: config.DATABASE_POOL_MAX,
    logger,
  });
  await pingDb(db);
  const stripe = createStripeClient({
    secretKey: config.STRIPE_SECRET_KEY,
    apiUrl: config.STRIPE_API_URL,
    maxNetworkRetries: 2,
  });
  const kafka = startServiceConsumer(
    config,
    logger,
    (t) => [t.stripeEvents, t.customerSyncResults],
    (bus) => startWriterConsumer(config, { ...bus, db, stripe, logger, registry, onFatal }),
    { onFatal, registry },
  );

  const metrics = reconcileMetrics(registry);
  const schedule =
    config.RECONCILE_INTERVAL_MIN > 0
      ? setInterval(
          () =>
            void reconcile({ db, stripe, logger, metrics }).catch((error) =>
              logger.error('scheduled reconcile failed', { error }),
            ),
          config.RECONCILE_INTERVAL_MIN * 60_000,
        )
      : undefined;

  const retention = startRetention({
    db,
    rules: [processedEventsRetention(config.PROCESSED_EVENT_RETENTION_HOURS)],
    batchSize: config.RETENTION_BATCH_SIZE,
    intervalMs: config.RETENTION_INTERVAL_MIN * 60_000,
    logger,
    registry,
  });
  let shuttingDown = false;
  const app = createHttpApp({
    logger,
    registry,
    checks: [{ name: 'database', check: () => pingDb(db) }, kafka.readiness],
    isShuttingDown: () => shuttingDown,
  });
  const server = await listen(app, config.PORT);
  logger.info('db-writer running', { url: server.url });

  return {
    url: server.url,
    kafkaStarted: kafka.started.then(() => undefined),
    async stop() {
      shuttingDown = true;
      clearInterval(schedule);
      await retention.stop();
      await kafka.stop();
      await server.close(2000);
      await db.destroy();
    },
  };
}
