import { parseEnv, type Env } from '@customer-sync/config';
import type { z } from 'zod';
import { TEST_KAFKA_BROKERS, TEST_KAFKA_SECURITY_ENV } from './test-env';

export const TEST_API_KEY = 'test-api-key-0123456789abcdef';
export const TEST_WEBHOOK_SECRET = 'whsec_testsecret0123456789';

/** A service config for tests: the test broker (and its TLS/SASL settings), port 0, this file's topic suffix, plus overrides. */
export function serviceConfig<S extends z.ZodObject>(schema: S, env: Env): z.infer<S> {
  return parseEnv(schema, {
    NODE_ENV: 'test',
    PORT: '0',
    KAFKA_BROKERS: TEST_KAFKA_BROKERS.join(','),
    ...TEST_KAFKA_SECURITY_ENV,
    KAFKA_CLIENT_ID: 'test',
    KAFKA_TOPIC_PARTITIONS: '3',
    API_KEYS: TEST_API_KEY,
    STRIPE_SECRET_KEY: 'sk_test_customersync0000000000',
    STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
    OUTBOX_POLL_MS: '200',
    RETRY_BASE_MS: '20',
    RETRY_MAX_MS: '200',
    SHUTDOWN_TIMEOUT_MS: '10000',
    ...env,
  });
}

/** What every service process needs to find its database and broker: a client id, the file's topic suffix, 3 partitions. */
export const serviceProcessEnv = (
  databaseUrl: string,
  brokers: string,
  clientId: string,
  suffix: string,
): Record<string, string> => ({
  DATABASE_URL: databaseUrl,
  KAFKA_BROKERS: brokers,
  KAFKA_CLIENT_ID: clientId,
  KAFKA_TOPIC_SUFFIX: suffix,
  KAFKA_TOPIC_PARTITIONS: '3',
});
