import { z } from 'zod';
import { apiRetentionEnv, baseEnv, databaseEnv, kafkaEnv, stripeEnv, writerRetentionEnv } from './env-fields';
import { kafkaSecurityRules } from './kafka-security-env';

/**
 * The operator's CLI reads only the variables a command needs: each part below is validated when a
 * command first uses it, so `customer-sync dlq list` runs without a database URL or a Stripe key.
 */
export const CliEnvParts = {
  /** Logging; the CLI logs to stderr and only warnings by default, its output goes to stdout. */
  base: z.object({ ...baseEnv, LOG_LEVEL: z.enum(['error', 'warn', 'info', 'http', 'debug']).default('warn') }),
  database: z.object(databaseEnv),
  /** Brokers, topic suffix and TLS/SASL, as the services read them. */
  kafka: z
    .object({ ...kafkaEnv, KAFKA_CLIENT_ID: z.string().min(1).default('customer-sync-cli') })
    .superRefine(kafkaSecurityRules),
  stripe: z.object(stripeEnv),
  retention: z.object({ ...apiRetentionEnv, ...writerRetentionEnv }),
};
/** Parsed parts of the CLI's configuration. */
export type CliBaseConfig = z.infer<typeof CliEnvParts.base>;
export type CliDatabaseConfig = z.infer<typeof CliEnvParts.database>;
export type CliKafkaConfig = z.infer<typeof CliEnvParts.kafka>;
export type CliStripeConfig = z.infer<typeof CliEnvParts.stripe>;
export type CliRetentionConfig = z.infer<typeof CliEnvParts.retention>;
