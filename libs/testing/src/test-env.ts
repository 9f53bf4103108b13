/** Where tests find PostgreSQL and Kafka; the same defaults as .env.example. */
import { kafkaSecurity, kafkaSecurityEnv, kafkaSecurityRules, loadConfig, type Env } from '@customer-sync/config';
import { z } from 'zod';

const TestEnv = z
  .object({
    DATABASE_URL: z.string().default('postgres://postgres@127.0.0.1:5432/customer_sync'),
    KAFKA_BROKERS: z.string().default('127.0.0.1:9092'),
    /** Lets two test runs share one PostgreSQL server without dropping each other's template. */
    TEST_TEMPLATE_DATABASE: z
      .string()
      .regex(/^[a-z_][a-z0-9_]*$/)
      .default('customer_sync_test_template'),
    /** The shared test broker's TLS/SASL settings, when it is secured (as in a managed-Kafka CI). */
    ...kafkaSecurityEnv,
  })
  .superRefine(kafkaSecurityRules);

const env = loadConfig(TestEnv);

export const TEST_DATABASE_URL = env.DATABASE_URL;
export const TEST_KAFKA_BROKERS = env.KAFKA_BROKERS.split(',');
export const TEMPLATE_DATABASE = env.TEST_TEMPLATE_DATABASE;
/** kafkajs `ssl`/`sasl` options for clients of the shared test broker. */
export const TEST_KAFKA_SECURITY = kafkaSecurity(env);
/** The same settings as variables, for service configs built in tests. */
export const TEST_KAFKA_SECURITY_ENV: Env = Object.fromEntries(
  Object.keys(kafkaSecurityEnv)
    .filter((name) => env[name as keyof typeof env] !== undefined)
    .map((name) => [name, String(env[name as keyof typeof env])]),
);

export function databaseUrl(name: string): string {
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A short unique suffix for one test file's databases, topics and groups. */
export const uniqueSuffix = () => `t${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;
