import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import type { KafkaSaslMechanism } from './kafka-security-env';

/** The TLS and SASL part of a service's config (`kafkaSecurityEnv`, parsed). */
export interface KafkaSecurityConfig {
  KAFKA_SSL: boolean;
  KAFKA_SSL_CA_FILE?: string;
  KAFKA_SSL_CERT_FILE?: string;
  KAFKA_SSL_KEY_FILE?: string;
  KAFKA_SSL_KEY_PASSWORD?: string;
  KAFKA_SSL_REJECT_UNAUTHORIZED: boolean;
  KAFKA_SASL_MECHANISM?: KafkaSaslMechanism;
  KAFKA_SASL_USERNAME?: string;
  KAFKA_SASL_PASSWORD?: string;
}

/**
 * kafkajs's `ssl` and `sasl` client options (kafkajs docs, "Client configuration": `ssl` takes Node
 * `tls.connect` options, `sasl` `{ mechanism, username, password }` for plain and scram-sha-256/512).
 */
export interface KafkaSecurity {
  /** Absent = plaintext. */
  ssl?: ConnectionOptions;
  /** Absent = no SASL. */
  sasl?: { [M in KafkaSaslMechanism]: { mechanism: M; username: string; password: string } }[KafkaSaslMechanism];
}

/**
 * Builds kafkajs's `ssl`/`sasl` options from the config, reading the PEM files it names. Without a
 * CA file Node's bundled public CAs verify the broker (MSK, Confluent Cloud). Throws the file
 * system's error if a file vanished after the config was checked.
 */
export function kafkaSecurity(config: KafkaSecurityConfig): KafkaSecurity {
  const security: KafkaSecurity = {};
  if (config.KAFKA_SSL) {
    const pem = (file: string) => readFileSync(file, 'utf8');
    security.ssl = {
      rejectUnauthorized: config.KAFKA_SSL_REJECT_UNAUTHORIZED,
      ...(config.KAFKA_SSL_CA_FILE && { ca: [pem(config.KAFKA_SSL_CA_FILE)] }),
      ...(config.KAFKA_SSL_CERT_FILE &&
        config.KAFKA_SSL_KEY_FILE && { cert: pem(config.KAFKA_SSL_CERT_FILE), key: pem(config.KAFKA_SSL_KEY_FILE) }),
      ...(config.KAFKA_SSL_KEY_PASSWORD && { passphrase: config.KAFKA_SSL_KEY_PASSWORD }),
    };
  }
  if (config.KAFKA_SASL_MECHANISM && config.KAFKA_SASL_USERNAME && config.KAFKA_SASL_PASSWORD) {
    const { KAFKA_SASL_MECHANISM: mechanism, KAFKA_SASL_USERNAME: username, KAFKA_SASL_PASSWORD: password } = config;
    // One object per mechanism in the type; the union of mechanisms maps onto it one to one.
    security.sasl = { mechanism, username, password } as NonNullable<KafkaSecurity['sasl']>;
  }
  return security;
}

/** Kafka's name for the connection's security: PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL. */
export const securityProtocol = (config: KafkaSecurityConfig): string =>
  config.KAFKA_SASL_MECHANISM
    ? config.KAFKA_SSL
      ? 'SASL_SSL'
      : 'SASL_PLAINTEXT'
    : config.KAFKA_SSL
      ? 'SSL'
      : 'PLAINTEXT';
