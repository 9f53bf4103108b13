import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, parseEnv, StripeSyncWorkerEnv, WebhookIngressEnv } from './index';

const dir = mkdtempSync(join(tmpdir(), 'kafka-security-env-'));
const pem = (name: string) => {
  const file = join(dir, name);
  writeFileSync(file, '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n');
  return file;
};
const base = {
  KAFKA_BROKERS: 'b-1.example.com:9096',
  KAFKA_CLIENT_ID: 'ingress',
  STRIPE_WEBHOOK_SECRET: 'whsec_a',
};
const problemsOf = (env: Record<string, string>): string => {
  try {
    parseEnv(WebhookIngressEnv, { ...base, ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.join('\n');
    throw error;
  }
  throw new Error('expected a ConfigError');
};

describe('Kafka TLS and SASL settings', () => {
  it('when none is set, connects in plaintext without SASL', () => {
    const config = parseEnv(WebhookIngressEnv, base);
    expect(config).toMatchObject({
      KAFKA_SSL: false,
      KAFKA_SSL_REJECT_UNAUTHORIZED: true,
    });
    expect(config.KAFKA_SASL_MECHANISM).toBeUndefined();
  });

  it('reads TLS with a CA file and a client certificate, verifying the broker by default', () => {
    const config = parseEnv(WebhookIngressEnv, {
      ...base,
      KAFKA_SSL: 'true',
      KAFKA_SSL_CA_FILE: pem('ca.pem'),
      KAFKA_SSL_CERT_FILE: pem('client.pem'),
      KAFKA_SSL_KEY_FILE: pem('client.key'),
    });
    expect(config).toMatchObject({
      KAFKA_SSL: true,
      KAFKA_SSL_REJECT_UNAUTHORIZED: true,
      KAFKA_SSL_CA_FILE: join(dir, 'ca.pem'),
    });
  });

  it.each(['plain', 'scram-sha-256', 'scram-sha-512'])(
    'accepts SASL mechanism %s with a user name and password',
    (mechanism) => {
      const config = parseEnv(StripeSyncWorkerEnv, {
        ...base,
        STRIPE_SECRET_KEY: 'sk_test_abc',
        KAFKA_SASL_MECHANISM: mechanism.toUpperCase(),
        KAFKA_SASL_USERNAME: 'svc',
        KAFKA_SASL_PASSWORD: 'pw',
      });
      expect(config).toMatchObject({
        KAFKA_SASL_MECHANISM: mechanism,
        KAFKA_SASL_USERNAME: 'svc',
      });
    },
  );

  it('when a mechanism is set without credentials, names each missing variable', () => {
    const problems = problemsOf({ KAFKA_SASL_MECHANISM: 'scram-sha-512' });
    expect(problems).toMatch(/KAFKA_SASL_USERNAME is required/);
    expect(problems).toMatch(/KAFKA_SASL_PASSWORD is required/);
  });

  it('when credentials are set without a mechanism, names the mechanism', () => {
    expect(problemsOf({ KAFKA_SASL_USERNAME: 'svc', KAFKA_SASL_PASSWORD: 'pw' })).toMatch(
      /KAFKA_SASL_MECHANISM is required/,
    );
  });

  it('refuses an unknown mechanism by name, without echoing the password', () => {
    const problems = problemsOf({
      KAFKA_SASL_MECHANISM: 'gssapi',
      KAFKA_SASL_USERNAME: 'svc',
      KAFKA_SASL_PASSWORD: 'hunter2-secret',
    });
    expect(problems).toMatch(/KAFKA_SASL_MECHANISM is malformed/);
    expect(problems).not.toContain('hunter2-secret');
  });

  it('names a certificate file that does not exist', () => {
    expect(
      problemsOf({
        KAFKA_SSL: 'true',
        KAFKA_SSL_CA_FILE: join(dir, 'missing.pem'),
      }),
    ).toMatch(/KAFKA_SSL_CA_FILE is malformed: .*not readable/);
  });

  it('needs the client certificate and its key together', () => {
    expect(
      problemsOf({
        KAFKA_SSL: 'true',
        KAFKA_SSL_CERT_FILE: pem('only-cert.pem'),
      }),
    ).toMatch(/KAFKA_SSL_KEY_FILE is required/);
  });

  it('refuses TLS files while KAFKA_SSL is off, so a forgotten switch cannot leave the connection in plaintext', () => {
    expect(problemsOf({ KAFKA_SSL_CA_FILE: pem('ca2.pem') })).toMatch(
      /KAFKA_SSL_CA_FILE is malformed: set KAFKA_SSL=true/,
    );
  });

  it('takes KAFKA_SSL_REJECT_UNAUTHORIZED=false only as an explicit choice', () => {
    expect(
      parseEnv(WebhookIngressEnv, {
        ...base,
        KAFKA_SSL: 'true',
        KAFKA_SSL_REJECT_UNAUTHORIZED: 'false',
      }).KAFKA_SSL_REJECT_UNAUTHORIZED,
    ).toBe(false);
    expect(problemsOf({ KAFKA_SSL: 'yes please' })).toMatch(/KAFKA_SSL is malformed/);
  });
});
