import { createStripeClient, type Stripe } from '@customer-sync/stripe-client';
import { type RunningEmulator, startTestEmulator, TEST_STRIPE_KEY } from '@customer-sync/stripe-emulator-core';
import {
  createTestDatabase,
  freePort,
  startServiceProcess,
  TEST_API_KEY,
  TEST_KAFKA_BROKERS,
  TEST_KAFKA_SECURITY_ENV,
  TEST_WEBHOOK_SECRET,
  uniqueSuffix,
  waitFor,
  type ServiceProcess,
  type TestDatabase,
} from '@customer-sync/testing';

export interface System {
  suffix: string;
  database: TestDatabase;
  emulator: RunningEmulator;
  stripe: ReturnType<typeof createStripeClient>;
  api: ServiceProcess;
  worker: ServiceProcess;
  ingress: ServiceProcess;
  writer: ServiceProcess;
  env: Record<string, string>;
  /** The Stripe customers linked to one of ours by metadata.customer_sync_id. */
  stripeCustomersOf(internalId: string): Promise<Stripe.Customer[]>;
  restart(name: 'api' | 'worker' | 'ingress' | 'writer'): Promise<ServiceProcess>;
  stop(): Promise<void>;
}

const APPS = {
  api: 'api-service',
  worker: 'stripe-sync-worker',
  ingress: 'webhook-ingress',
  writer: 'db-writer',
} as const;

/**
 * The four services as separate processes, as deployed, against this file's own database and topics,
 * with the Stripe emulator delivering webhooks to the ingress.
 */
export async function startSystem(
  options: { brokers?: string; env?: Record<string, string>; retryScheduleMs?: number[] } = {},
): Promise<System> {
  const suffix = uniqueSuffix();
  const database = await createTestDatabase();
  const ingressPort = await freePort();
  const emulator = await startTestEmulator({
    webhookUrl: `http://127.0.0.1:${ingressPort}/stripe/webhook`,
    webhookSecret: TEST_WEBHOOK_SECRET,
    retryScheduleMs: options.retryScheduleMs,
  });
  const env: Record<string, string> = {
    DATABASE_URL: database.url,
    KAFKA_BROKERS: options.brokers ?? TEST_KAFKA_BROKERS.join(','),
    // The shared test broker's TLS/SASL settings, if it is secured; a broker of the test's own is not.
    ...(options.brokers ? {} : TEST_KAFKA_SECURITY_ENV),
    KAFKA_CLIENT_ID: `e2e-${suffix}`,
    KAFKA_TOPIC_SUFFIX: suffix,
    KAFKA_TOPIC_PARTITIONS: '3',
    // Killed consumers lose their partitions quickly, so restarts are seen within seconds.
    KAFKA_SESSION_TIMEOUT_MS: '6000',
    API_KEYS: TEST_API_KEY,
    STRIPE_SECRET_KEY: TEST_STRIPE_KEY,
    STRIPE_API_URL: emulator.url,
    STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
    OUTBOX_POLL_MS: '250',
    RETRY_BASE_MS: '50',
    RETRY_MAX_MS: '1000',
    STRIPE_MAX_ATTEMPTS: '10',
    ...options.env,
  };
  // The ingress keeps its port across restarts: the emulator's webhook endpoint points at it.
  const startOne = (name: keyof typeof APPS) =>
    startServiceProcess(APPS[name], env, name === 'ingress' ? ingressPort : undefined);
  const processes = {
    api: await startOne('api'),
    worker: await startOne('worker'),
    ingress: await startOne('ingress'),
    writer: await startOne('writer'),
  };
  // /health answers before Kafka is connected; the tests start once every service is ready.
  for (const service of Object.values(processes)) {
    await waitFor(async () => (await fetch(`${service.url}/ready`).catch(() => undefined))?.ok, {
      what: `${service.name} /ready`,
      timeoutMs: 60_000,
      intervalMs: 100,
    });
  }
  const system: System = {
    suffix,
    database,
    emulator,
    stripe: createStripeClient({ secretKey: TEST_STRIPE_KEY, apiUrl: emulator.url }),
    ...processes,
    env,
    async stripeCustomersOf(internalId) {
      return (await system.stripe.customers.search({ query: `metadata['customer_sync_id']:'${internalId}'` })).data;
    },
    async restart(name) {
      await system[name].stop();
      system[name] = await startOne(name);
      return system[name];
    },
    async stop() {
      await Promise.all((['api', 'worker', 'ingress', 'writer'] as const).map((n) => system[n].stop()));
      await emulator.stop();
      await database.drop();
    },
  };
  return system;
}
