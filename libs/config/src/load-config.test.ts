import { ApiServiceEnv, ConfigError, DbWriterEnv, parseEnv, StripeSyncWorkerEnv, WebhookIngressEnv } from './index';

const validApiEnv = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/customer_sync',
  KAFKA_BROKERS: '127.0.0.1:9092',
  KAFKA_CLIENT_ID: 'api-service',
  API_KEYS: 'local-dev-key-0123456789',
};

describe('parseEnv', () => {
  it('when every variable is valid, returns typed values with defaults', () => {
    const config = parseEnv(ApiServiceEnv, validApiEnv);
    expect(config.PORT).toBe(8000);
    expect(config.KAFKA_BROKERS).toEqual(['127.0.0.1:9092']);
    expect(config.API_KEYS).toEqual(['local-dev-key-0123456789']);
  });

  it('when a variable is missing, names it', () => {
    const { DATABASE_URL: _omitted, ...env } = validApiEnv;
    expect(() => parseEnv(ApiServiceEnv, env)).toThrow(/DATABASE_URL is required/);
  });

  it('when a variable is malformed, names it and does not echo its value', () => {
    const attempt = () => parseEnv(ApiServiceEnv, { ...validApiEnv, PORT: 'eighty', API_KEYS: 'short' });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toMatch(/PORT is malformed/);
      expect(problems).toMatch(/API_KEYS is malformed/);
      expect(problems).not.toContain('short');
    }
  });

  it('splits a comma-separated list of webhook secrets for rotation', () => {
    const config = parseEnv(WebhookIngressEnv, {
      KAFKA_BROKERS: '127.0.0.1:9092',
      KAFKA_CLIENT_ID: 'ingress',
      STRIPE_WEBHOOK_SECRET: 'whsec_old, whsec_new',
    });
    expect(config.STRIPE_WEBHOOK_SECRET).toEqual(['whsec_old', 'whsec_new']);
  });

  it('rejects a broker list entry without a port', () => {
    expect(() =>
      parseEnv(WebhookIngressEnv, {
        KAFKA_BROKERS: '127.0.0.1',
        KAFKA_CLIENT_ID: 'x',
        STRIPE_WEBHOOK_SECRET: 'whsec_a',
      }),
    ).toThrow(/KAFKA_BROKERS is malformed/);
  });
});

describe('retention settings', () => {
  const writerEnv = {
    DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/customer_sync',
    KAFKA_BROKERS: '127.0.0.1:9092',
    KAFKA_CLIENT_ID: 'writer',
    STRIPE_SECRET_KEY: 'sk_test_abc',
  };

  it('refuses to forget processed Stripe events within the retry window and its margin', () => {
    expect(() => parseEnv(DbWriterEnv, { ...writerEnv, PROCESSED_EVENT_RETENTION_HOURS: '72' })).toThrow(
      /PROCESSED_EVENT_RETENTION_HOURS is malformed/,
    );
    expect(parseEnv(DbWriterEnv, writerEnv).PROCESSED_EVENT_RETENTION_HOURS).toBeGreaterThanOrEqual(96);
  });

  it('keeps idempotency keys for 24 hours at least', () => {
    expect(() => parseEnv(ApiServiceEnv, { ...validApiEnv, IDEMPOTENCY_KEY_RETENTION_HOURS: '12' })).toThrow(
      /IDEMPOTENCY_KEY_RETENTION_HOURS is malformed/,
    );
  });
});

describe('WORKER_CONCURRENCY', () => {
  const workerEnv = { KAFKA_BROKERS: '127.0.0.1:9092', KAFKA_CLIENT_ID: 'worker', STRIPE_SECRET_KEY: 'sk_test_abc' };

  it('defaults to 32 commands in flight', () => {
    expect(parseEnv(StripeSyncWorkerEnv, workerEnv).WORKER_CONCURRENCY).toBe(32);
  });

  it.each(['0', '-1', '1.5', '1001', 'many'])('refuses %s, naming the variable', (value) => {
    expect(() => parseEnv(StripeSyncWorkerEnv, { ...workerEnv, WORKER_CONCURRENCY: value })).toThrow(
      /WORKER_CONCURRENCY is malformed/,
    );
  });
});
