import { createServer } from 'node:net';
import type { Kafka } from 'kafkajs';
import { createDb, ensureDatabase, migrateLatest, type Db } from '@customer-sync/db';
import { createKafkaClient, ensureTopics, resolveTopics, type TopicMap } from '@customer-sync/kafka';
import { createLogger } from '@customer-sync/logger';
import { startEmulator, TEST_STRIPE_KEY, type RunningEmulator } from '@customer-sync/stripe-emulator-core';
import { dedicatedBroker, freePort } from '@customer-sync/testing';
import { SERVICE_NAMES, type ServiceName } from './fault-plan';
import { startPostgresCluster, type PostgresCluster } from './postgres-cluster';
import { serviceFleet, type ServiceFleet } from './service-fleet';

export const API_KEY = 'fault-suite-api-key-0123456789';
export const WEBHOOK_SECRET = 'whsec_faultsuite0123456789abcdef';
export const STRIPE_KEY = TEST_STRIPE_KEY;
const PARTITIONS = 6;
/** Like Stripe, the emulator keeps retrying a failed delivery (here for about three minutes). */
const RETRY_SCHEDULE_MS = [250, 500, 1000, 2000, 3000, ...Array<number>(60).fill(3000)];

/** Everything the suite runs and owns: its broker, its PostgreSQL cluster, the emulator and the four services. */
export interface SystemUnderTest {
  broker: ReturnType<typeof dedicatedBroker>;
  postgres: PostgresCluster;
  emulator: RunningEmulator;
  fleet: ServiceFleet;
  /** The suite's own connections, for the poison message and the invariant checker. */
  db: Db;
  kafka: Kafka;
  topics: TopicMap;
  stop(logDir: string): Promise<void>;
}

const portIsFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

/** A free port whose successor is free too (the broker's controller listens on port + 1). */
async function freePortPair(): Promise<number> {
  for (;;) {
    const port = 20000 + Math.floor(Math.random() * 20000);
    if ((await portIsFree(port)) && (await portIsFree(port + 1))) return port;
  }
}

async function startDatabase(postgres: PostgresCluster): Promise<string> {
  const url = postgres.url('customer_sync');
  await ensureDatabase(url);
  const db = createDb({ url });
  try {
    await migrateLatest(db);
  } finally {
    await db.destroy();
  }
  return url;
}

/**
 * Starts the system on free loopback ports: a dedicated broker and a PostgreSQL cluster of the
 * suite's own (so their restarts disturb nobody), the Stripe emulator in-process with its test
 * controls, the topics, then the four services as `npm run up` starts them.
 */
export async function startSystemUnderTest(clock: () => number, log: (line: string) => void): Promise<SystemUnderTest> {
  const broker = dedicatedBroker(await freePortPair());
  const postgresPort = await freePort();
  const ports = Object.fromEntries(await Promise.all(SERVICE_NAMES.map(async (n) => [n, await freePort()]))) as Record<
    ServiceName,
    number
  >;
  log(`starting broker ${broker.brokers} and PostgreSQL on 127.0.0.1:${postgresPort}`);
  const [, postgres] = await Promise.all([
    broker.destroy().then(() => broker.start()),
    startPostgresCluster(postgresPort),
  ]);
  const databaseUrl = await startDatabase(postgres);
  const silent = createLogger({ service: 'fault-suite', silent: true });
  const emulator = await startEmulator(
    {
      PORT: 0,
      STRIPE_WEBHOOK_URL: `http://127.0.0.1:${ports['webhook-ingress']}/stripe/webhook`,
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      EMULATOR_RETRY_SCHEDULE_MS: RETRY_SCHEDULE_MS,
      EMULATOR_DELIVERY_TIMEOUT_MS: 8000,
      EMULATOR_ADMIN: true,
      EMULATOR_SNAPSHOT_FILE: undefined,
    },
    silent,
  );
  const kafka = createKafkaClient({ brokers: [broker.brokers], clientId: 'fault-suite', logger: silent });
  const topics = resolveTopics();
  await ensureTopics(kafka, Object.values(topics), { partitions: PARTITIONS, replicationFactor: 1 });
  const env: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    KAFKA_BROKERS: broker.brokers,
    KAFKA_CLIENT_ID: 'fault-suite',
    KAFKA_TOPIC_PARTITIONS: String(PARTITIONS),
    // The broker's minimum: a killed consumer's partitions move to its restarted successor quickly.
    KAFKA_SESSION_TIMEOUT_MS: '6000',
    API_KEYS: API_KEY,
    STRIPE_SECRET_KEY: STRIPE_KEY,
    STRIPE_API_URL: emulator.url,
    STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    OUTBOX_POLL_MS: '500',
    LOG_LEVEL: 'info',
  };
  const fleet = serviceFleet(env, ports, clock);
  log('starting the four services');
  await Promise.all(SERVICE_NAMES.map((name) => fleet.start(name)));
  const db = createDb({ url: databaseUrl, poolMax: 4 });
  return {
    broker,
    postgres,
    emulator,
    fleet,
    db,
    kafka,
    topics,
    async stop(logDir) {
      await fleet.stopAll().catch(() => undefined);
      fleet.writeLogs(logDir);
      await emulator.stop().catch(() => undefined);
      await db.destroy().catch(() => undefined);
      await broker.destroy().catch(() => undefined);
      await postgres.destroy().catch(() => undefined);
    },
  };
}
