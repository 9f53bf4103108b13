import { accessSync, constants } from 'node:fs';
import { z } from 'zod';

const emptyAsUndefined = (v: unknown) => (v === '' ? undefined : v);

const flag = (fallback: boolean) =>
  z
    .preprocess(
      emptyAsUndefined,
      z.enum(['true', 'false'], { message: 'must be true or false' }).default(fallback ? 'true' : 'false'),
    )
    .transform((v) => v === 'true');

function readable(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

const pemFile = z.preprocess(emptyAsUndefined, z.string().refine(readable, 'file not readable').optional());

/** SASL mechanisms kafkajs implements that managed brokers offer (kafkajs `sasl.mechanism`). */
export const KAFKA_SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;
export type KafkaSaslMechanism = (typeof KAFKA_SASL_MECHANISMS)[number];

/**
 * TLS and SASL settings for every Kafka client of a service (spread into `kafkaEnv`). Files are
 * paths to PEM files, checked readable at start; their contents are read when the client is built.
 */
export const kafkaSecurityEnv = {
  /** Connect over TLS (security.protocol SSL or SASL_SSL); MSK, Confluent Cloud and Aiven require it. */
  KAFKA_SSL: flag(false),
  /** PEM bundle of the CA that signed the brokers' certificates; unset = Node's public CAs. */
  KAFKA_SSL_CA_FILE: pemFile,
  /** PEM client certificate for mutual TLS (MSK TLS auth, Aiven client certificates, Strimzi `tls` users). */
  KAFKA_SSL_CERT_FILE: pemFile,
  /** PEM private key of KAFKA_SSL_CERT_FILE. */
  KAFKA_SSL_KEY_FILE: pemFile,
  /** Passphrase of an encrypted KAFKA_SSL_KEY_FILE. Secret. */
  KAFKA_SSL_KEY_PASSWORD: z.preprocess(emptyAsUndefined, z.string().optional()),
  /** Verify the broker's certificate and host name; `false` only for a throwaway local broker. */
  KAFKA_SSL_REJECT_UNAUTHORIZED: flag(true),
  /** plain | scram-sha-256 | scram-sha-512 (case-insensitive); unset = no SASL. */
  KAFKA_SASL_MECHANISM: z.preprocess(
    (v) => (typeof v === 'string' && v !== '' ? v.toLowerCase() : undefined),
    z
      .enum(KAFKA_SASL_MECHANISMS, {
        message: `must be one of ${KAFKA_SASL_MECHANISMS.join(', ')}`,
      })
      .optional(),
  ),
  KAFKA_SASL_USERNAME: z.preprocess(emptyAsUndefined, z.string().optional()),
  /** Secret. */
  KAFKA_SASL_PASSWORD: z.preprocess(emptyAsUndefined, z.string().optional()),
};

type KafkaSecurityValues = z.infer<z.ZodObject<typeof kafkaSecurityEnv>>;

/**
 * Rules between the settings above, each reported on the variable to change: SASL needs a
 * mechanism, a user name and a password together; a client certificate needs its key; TLS files
 * need KAFKA_SSL=true. Apply with `.superRefine(kafkaSecurityRules)` on a schema that has them.
 */
export function kafkaSecurityRules(value: KafkaSecurityValues, ctx: z.RefinementCtx): void {
  const problem = (path: keyof KafkaSecurityValues, message: string) =>
    ctx.addIssue({ code: 'custom', path: [path], message });
  const sasl = [value.KAFKA_SASL_MECHANISM, value.KAFKA_SASL_USERNAME, value.KAFKA_SASL_PASSWORD];
  if (sasl.some((v) => v !== undefined)) {
    if (!value.KAFKA_SASL_MECHANISM)
      problem('KAFKA_SASL_MECHANISM', 'needed with KAFKA_SASL_USERNAME/KAFKA_SASL_PASSWORD');
    if (!value.KAFKA_SASL_USERNAME) problem('KAFKA_SASL_USERNAME', 'needed with KAFKA_SASL_MECHANISM');
    if (!value.KAFKA_SASL_PASSWORD) problem('KAFKA_SASL_PASSWORD', 'needed with KAFKA_SASL_MECHANISM');
  }
  if (value.KAFKA_SSL_CERT_FILE && !value.KAFKA_SSL_KEY_FILE)
    problem('KAFKA_SSL_KEY_FILE', 'needed with KAFKA_SSL_CERT_FILE');
  if (value.KAFKA_SSL_KEY_FILE && !value.KAFKA_SSL_CERT_FILE)
    problem('KAFKA_SSL_CERT_FILE', 'needed with KAFKA_SSL_KEY_FILE');
  if (!value.KAFKA_SSL) {
    for (const file of ['KAFKA_SSL_CA_FILE', 'KAFKA_SSL_CERT_FILE', 'KAFKA_SSL_KEY_FILE'] as const) {
      if (value[file])
        problem(
          file,
          'set KAFKA_SSL=true to use it (it would otherwise be ignored and the connection left in plaintext)',
        );
    }
  }
}
