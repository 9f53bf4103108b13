import type { ApiServiceConfig } from '@customer-sync/config';
import { createCustomerService, createOutboxSignal, OutboxRelay, outboxMetrics } from '@customer-sync/customer-api';
import { createDb, idempotencyKeysRetention, outboxRetention, pingDb, startRetention } from '@customer-sync/db';
import { createAdminApp, createHttpApp, createMetricsRegistry, listen, type RunningServer } from '@customer-sync/http';
import { resolveTopics, startServiceKafka } from '@customer-sync/kafka';
import type { Logger } from '@customer-sync/logger';
import { customerRoutes } from './entry-points/http/customer-routes';
import { docsRoutes } from './entry-points/http/docs-routes';

export interface ApiService {
  url: string;
  port: number;
  /** The admin listener (/metrics, /docs) when ADMIN_PORT is set; else undefined (they are on `url`). */
  adminUrl?: string;
  /** Resolves once the relay runs on Kafka (topics exist, limits read, producer connected). */
  kafkaStarted: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Composition root of api-service: database, HTTP API, and the outbox relay on Kafka. The API
 * serves and takes writes (into the outbox) without waiting for Kafka; the relay connects in the
 * background and publishes once connected (see startServiceKafka). A Kafka refusal no retry fixes
 * calls onFatal.
 */
export async function start(
  config: ApiServiceConfig,
  logger: Logger,
  onFatal: (error: unknown) => void = () => process.exit(1),
): Promise<ApiService> {
  const registry = createMetricsRegistry('api-service');
  const db = createDb({
    url: config.DATABASE_URL,
    poolMin: config.DATABASE_POOL_MIN,
    poolMax: config.DATABASE_POOL_MAX,
    logger,
  });
  await pingDb(db);
  const topics = resolveTopics(config.KAFKA_TOPIC_SUFFIX);
  // Registered now, so the backlog shows on /metrics while the relay still waits for Kafka.
  outboxMetrics(registry, db);
  const kafka = startServiceKafka(
    config,
    logger,
    (t) => [t.customerRequested],
    async ({ producer }) => {
      const relay = new OutboxRelay({
        db,
        databaseUrl: config.DATABASE_URL,
        producer,
        logger,
        registry,
        batchSize: config.OUTBOX_BATCH_SIZE,
        pollMs: config.OUTBOX_POLL_MS,
      });
      await relay.start();
      return relay;
    },
    { onFatal, registry },
  );
  const retention = startRetention({
    db,
    rules: [
      outboxRetention(config.OUTBOX_RETENTION_HOURS),
      idempotencyKeysRetention(config.IDEMPOTENCY_KEY_RETENTION_HOURS),
    ],
    batchSize: config.RETENTION_BATCH_SIZE,
    intervalMs: config.RETENTION_INTERVAL_MIN * 60_000,
    logger,
    registry,
  });

  let shuttingDown = false;
  const service = createCustomerService({
    db,
    requestedTopic: topics.customerRequested,
    // Before the relay runs, entries wait in the outbox; the relay's first round takes them.
    onCommitted: createOutboxSignal({ db, wakeLocalRelay: () => kafka.current()?.part.wake(), logger }),
    createGroups: { maxItems: config.API_CREATE_GROUP_MAX, maxInFlight: config.API_CREATE_GROUPS_IN_FLIGHT },
  });
  const separateAdmin = config.ADMIN_PORT !== undefined;
  const limits = {
    perKeyPerMinute: config.API_RATE_LIMIT_PER_MIN,
    authFailuresPerMinute: config.AUTH_FAILURE_LIMIT_PER_MIN,
  };
  const customers = customerRoutes(service, config.API_KEYS, limits);
  const app = createHttpApp({
    logger,
    registry,
    jsonLimit: config.HTTP_BODY_LIMIT,
    // The API keeps accepting writes while Kafka is down (the outbox holds them), so only the database gates readiness.
    checks: [{ name: 'database', check: () => pingDb(db) }],
    routes: separateAdmin ? [customers] : [docsRoutes(), customers],
    isShuttingDown: () => shuttingDown,
    metrics: !separateAdmin,
  });
  const server = await listen(app, config.PORT);
  let admin: RunningServer | undefined;
  if (config.ADMIN_PORT !== undefined)
    admin = await listen(createAdminApp({ logger, registry, routes: [docsRoutes()] }), config.ADMIN_PORT);
  logger.info('api-service listening', { url: server.url, adminUrl: admin?.url });

  return {
    url: server.url,
    port: server.port,
    adminUrl: admin?.url,
    kafkaStarted: kafka.started.then(() => undefined),
    async stop() {
      shuttingDown = true;
      await Promise.all([server.close(config.SHUTDOWN_TIMEOUT_MS / 2), admin?.close(config.SHUTDOWN_TIMEOUT_MS / 2)]);
      // Stops the relay (or a connection still trying), then the producer.
      await kafka.stop();
      await retention.stop();
      await db.destroy();
    },
  };
}
