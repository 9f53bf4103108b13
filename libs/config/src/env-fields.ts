import { z } from 'zod';
import { kafkaSecurityEnv } from './kafka-security-env';

const emptyAsUndefined = (v: unknown) => (v === '' ? undefined : v);

export const port = (fallback: number) =>
  z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(65535).default(fallback));

export const positiveInt = (fallback: number) =>
  z.preprocess(emptyAsUndefined, z.coerce.number().int().positive().default(fallback));

/** A whole number from 1 to `max`. */
export const intUpTo = (fallback: number, max: number) =>
  z.preprocess(emptyAsUndefined, z.coerce.number().int().positive().max(max).default(fallback));

/** A whole number, 0 or more. */
export const nonNegativeInt = (fallback: number) =>
  z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).default(fallback));

export const commaList = (what: string) =>
  z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string()).min(1, `needs at least one ${what}`));

export const url = (protocols: RegExp) =>
  z.url({ protocol: protocols, message: `must be a URL (${protocols.source})` });

/** Fields every service shares. */
export const baseEnv = {
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  /** error | warn | info | http | debug */
  LOG_LEVEL: z.enum(['error', 'warn', 'info', 'http', 'debug']).default('info'),
  /** json for machines (default in production), pretty for people. */
  LOG_FORMAT: z.preprocess(emptyAsUndefined, z.enum(['json', 'pretty']).optional()),
  SHUTDOWN_TIMEOUT_MS: positiveInt(15_000),
};

export const kafkaEnv = {
  /** Comma-separated host:port list, e.g. 127.0.0.1:9092. */
  KAFKA_BROKERS: commaList('broker').pipe(z.array(z.string().regex(/^[^\s:]+:\d+$/, 'each broker must be host:port'))),
  KAFKA_CLIENT_ID: z.string().min(1),
  /** Partitions for topics the service creates at start. */
  KAFKA_TOPIC_PARTITIONS: positiveInt(6),
  KAFKA_REPLICATION_FACTOR: positiveInt(1),
  /**
   * How long a consumer that stopped answering keeps its partitions (broker minimum 6000); also how
   * long a restarted consumer waits for its killed predecessor's session to end. Heartbeats go every third.
   */
  KAFKA_SESSION_TIMEOUT_MS: positiveInt(8_000),
  /** Suffix appended to every topic and group name; lets tests and parallel environments share a broker. */
  KAFKA_TOPIC_SUFFIX: z
    .string()
    .regex(/^[a-zA-Z0-9._-]*$/)
    .default(''),
  ...kafkaSecurityEnv,
};

export const databaseEnv = {
  /** postgres://user:password@host:port/database */
  DATABASE_URL: url(/^postgres(ql)?$/),
  DATABASE_POOL_MIN: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).default(0)),
  DATABASE_POOL_MAX: positiveInt(10),
};

export const stripeEnv = {
  /** sk_test_… or sk_live_… */
  STRIPE_SECRET_KEY: z
    .string()
    .regex(/^(sk|rk)_(test|live)_\w+$/, 'must be a Stripe secret key (sk_test_… or sk_live_…)'),
  /** Points the SDK at the local emulator, e.g. http://127.0.0.1:12111; unset for real Stripe. */
  STRIPE_API_URL: z.preprocess(emptyAsUndefined, url(/^https?$/).optional()),
};

export const webhookSecretEnv = {
  /** Comma-separated whsec_… secrets; several allow rotation. */
  STRIPE_WEBHOOK_SECRET: commaList('secret').pipe(
    z.array(z.string().startsWith('whsec_', 'each secret must start with whsec_')),
  ),
};

const hours = (fallback: number, min: number, why: string) =>
  z.preprocess(emptyAsUndefined, z.coerce.number().int().min(min, why).default(fallback));

/** How long the API's tables keep rows no rule needs any more, and how often they are pruned. */
export const apiRetentionEnv = {
  /** Prune every N minutes; 0 turns pruning off. */
  RETENTION_INTERVAL_MIN: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).default(60)),
  /** Rows deleted per statement; small batches keep each lock short. */
  RETENTION_BATCH_SIZE: positiveInt(500),
  /** Published outbox rows older than this are deleted (unpublished ones never are). */
  OUTBOX_RETENTION_HOURS: hours(168, 1, 'must be at least 1 hour'),
  /** Idempotency-Key answers are replayed for at least this long (24 h at least, as Stripe does). */
  IDEMPOTENCY_KEY_RETENTION_HOURS: hours(48, 24, 'must be at least 24 hours: clients may retry for a day'),
};

/** How long db-writer remembers processed Stripe event ids, and how often it prunes them. */
export const writerRetentionEnv = {
  RETENTION_INTERVAL_MIN: apiRetentionEnv.RETENTION_INTERVAL_MIN,
  RETENTION_BATCH_SIZE: apiRetentionEnv.RETENTION_BATCH_SIZE,
  /** Stripe retries a delivery for up to 3 days; a redelivery must still find its id, so 4 days at least. */
  PROCESSED_EVENT_RETENTION_HOURS: hours(
    336,
    96,
    "must be at least 96 hours: Stripe retries for 3 days, plus a day's margin",
  ),
};
