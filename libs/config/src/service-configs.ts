import { z } from 'zod';
import { kafkaSecurityRules } from './kafka-security-env';
import {
  apiRetentionEnv,
  baseEnv,
  commaList,
  databaseEnv,
  intUpTo,
  kafkaEnv,
  nonNegativeInt,
  port,
  positiveInt,
  stripeEnv,
  url,
  webhookSecretEnv,
  writerRetentionEnv,
} from './env-fields';

export const ApiServiceEnv = z
  .object({
    ...baseEnv,
    ...databaseEnv,
    ...kafkaEnv,
    PORT: port(8000),
    /** Comma-separated bearer keys accepted on /customers. */
    API_KEYS: commaList('key').pipe(z.array(z.string().min(16, 'each API key needs 16 characters or more'))),
    /** Largest JSON body accepted. */
    HTTP_BODY_LIMIT: z
      .string()
      .regex(/^\d+(b|kb|mb)?$/i, 'must be a size such as 100kb')
      .default('100kb'),
    /** How often the outbox relay polls when no NOTIFY arrives. */
    OUTBOX_POLL_MS: positiveInt(1000),
    OUTBOX_BATCH_SIZE: positiveInt(200),
    /** Requests per minute one API key may make on /customers; more get 429 with Retry-After. */
    API_RATE_LIMIT_PER_MIN: positiveInt(600),
    /** Requests with a missing or wrong API key one client address may make per minute before 429. */
    AUTH_FAILURE_LIMIT_PER_MIN: positiveInt(20),
    /**
     * Creates without Idempotency-Key that arrive together share one INSERT and commit (group commit),
     * this many at most; 1 writes each alone. At most 1000: a statement takes at most 65,535 parameters.
     */
    API_CREATE_GROUP_MAX: intUpTo(100, 1000),
    /** Create groups written at once at most (each holds a pool connection); creates arriving meanwhile form the next group. */
    API_CREATE_GROUPS_IN_FLIGHT: positiveInt(2),
    /** When set, /metrics, /docs and /openapi.json move to this port (an admin listener) and leave PORT. */
    ADMIN_PORT: z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number().int().min(0).max(65535).optional()),
    ...apiRetentionEnv,
  })
  .superRefine(kafkaSecurityRules);
export type ApiServiceConfig = z.infer<typeof ApiServiceEnv>;

export const StripeSyncWorkerEnv = z
  .object({
    ...baseEnv,
    ...kafkaEnv,
    ...stripeEnv,
    PORT: port(8002),
    /** Client-side cap on Stripe calls per second for the whole process (test mode allows about 25). */
    STRIPE_MAX_RPS: positiveInt(20),
    STRIPE_MAX_ATTEMPTS: positiveInt(6),
    STRIPE_TIMEOUT_MS: positiveInt(20_000),
    /** While Stripe refuses the key (401/403), how often a cheap authenticated call checks it again, in ms. */
    STRIPE_KEY_PROBE_MS: positiveInt(30_000),
    RETRY_BASE_MS: positiveInt(200),
    RETRY_MAX_MS: positiveInt(10_000),
    CONSUMER_MAX_ATTEMPTS: positiveInt(5),
    /**
     * Commands in flight at once in the whole process (across its partitions), for different customers:
     * one customer's commands still run one after another, in order. STRIPE_MAX_RPS still bounds the calls.
     */
    WORKER_CONCURRENCY: intUpTo(32, 1000),
  })
  .superRefine(kafkaSecurityRules);
export type StripeSyncWorkerConfig = z.infer<typeof StripeSyncWorkerEnv>;

export const WebhookIngressEnv = z
  .object({
    ...baseEnv,
    ...kafkaEnv,
    ...webhookSecretEnv,
    PORT: port(8001),
    /** Largest webhook body accepted, in bytes. */
    WEBHOOK_BODY_LIMIT_BYTES: positiveInt(1024 * 1024),
    /** Longest wait for Kafka's acknowledgement before answering 503. */
    KAFKA_PUBLISH_TIMEOUT_MS: positiveInt(5_000),
    /** How long a webhook that finds no produce request in flight waits for others to share its request (0: none). */
    KAFKA_PUBLISH_LINGER_MS: nonNegativeInt(2),
    STRIPE_SIGNATURE_TOLERANCE_S: positiveInt(300),
  })
  .superRefine(kafkaSecurityRules);
export type WebhookIngressConfig = z.infer<typeof WebhookIngressEnv>;

export const DbWriterEnv = z
  .object({
    ...baseEnv,
    ...databaseEnv,
    ...kafkaEnv,
    ...stripeEnv,
    PORT: port(8003),
    CONSUMER_MAX_ATTEMPTS: positiveInt(5),
    RETRY_BASE_MS: positiveInt(200),
    RETRY_MAX_MS: positiveInt(10_000),
    /**
     * The Stripe Connect account whose events this deployment applies; unset (the default) applies
     * only events without `account` (the platform's own). Others are acknowledged and ignored.
     */
    STRIPE_ACCOUNT: z.preprocess((v) => (v === '' ? undefined : v), z.string().startsWith('acct_').optional()),
    /** Runs a reconcile every N minutes; 0 turns the schedule off. */
    RECONCILE_INTERVAL_MIN: z.coerce.number().int().min(0).default(0),
    ...writerRetentionEnv,
  })
  .superRefine(kafkaSecurityRules);
export type DbWriterConfig = z.infer<typeof DbWriterEnv>;

export const StripeEmulatorEnv = z.object({
  ...baseEnv,
  PORT: port(12111),
  /** Registered as a webhook endpoint at start when set (with STRIPE_WEBHOOK_SECRET). */
  STRIPE_WEBHOOK_URL: z.preprocess((v) => (v === '' ? undefined : v), url(/^https?$/).optional()),
  /** The secret events are signed with; of a comma-separated rotation list, the first. */
  STRIPE_WEBHOOK_SECRET: z.preprocess(
    (v) => (v === '' || typeof v !== 'string' ? undefined : v.split(',')[0]!.trim()),
    z.string().startsWith('whsec_').optional(),
  ),
  /** Comma-separated delays in ms between delivery attempts (Stripe: hours; here: fast). */
  EMULATOR_RETRY_SCHEDULE_MS: z
    .string()
    .default('1000,2000,5000,10000,30000,60000')
    .transform((s) => s.split(',').map(Number))
    .pipe(z.array(z.number().int().nonnegative())),
  EMULATOR_DELIVERY_TIMEOUT_MS: positiveInt(10_000),
  /** Enables /_emulator test controls (fault injection, pause, reset). */
  EMULATOR_ADMIN: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** When set, state is saved to this JSON file and loaded at start. */
  EMULATOR_SNAPSHOT_FILE: z.string().optional(),
});
/** What a command that only talks to Kafka reads (e.g. a tool that only reads topics). */
export const KafkaCommandEnv = z.object({ ...baseEnv, ...kafkaEnv }).superRefine(kafkaSecurityRules);
export type KafkaCommandConfig = z.infer<typeof KafkaCommandEnv>;

export type StripeEmulatorConfig = z.infer<typeof StripeEmulatorEnv>;

export const MigrateEnv = z.object({
  ...baseEnv,
  ...databaseEnv,
  /** How long `migrate wait` (a Deployment's init container) waits for the schema before it fails. */
  MIGRATE_WAIT_TIMEOUT_S: positiveInt(600),
});
export type MigrateConfig = z.infer<typeof MigrateEnv>;
