import { securityProtocol, type KafkaSecurityConfig } from '@customer-sync/config';

/** Kafka could not be reached, or refused us, at start; the message says what to check. */
export class KafkaConnectionError extends Error {
  /** True when retrying cannot help (credentials, ACLs, certificates); false when the brokers did not answer. */
  readonly permanent: boolean;

  constructor(message: string, options: { cause: unknown; permanent?: boolean }) {
    super(message, { cause: options.cause });
    this.name = 'KafkaConnectionError';
    this.permanent = options.permanent ?? false;
  }
}

/** kafkajs wraps the last retry's error in `cause` (KafkaJSNumberOfRetriesExceeded); this finds the innermost message. */
function rootMessage(error: unknown): string {
  let current = error as { message?: string; cause?: unknown } | undefined;
  while (current?.cause && typeof current.cause === 'object') current = current.cause as typeof current;
  return current?.message ?? String(error);
}

/** A refusal of who we are (credentials, ACLs, certificates): retrying cannot help. */
function isRefusal(error: unknown): boolean {
  const name = (error as { name?: string } | undefined)?.name ?? '';
  return (
    name === 'KafkaJSSASLAuthenticationError' ||
    /SASL .*authentication failed|not authorized|authorization failed|certificate|self[- ]signed|unable to verify|altnames|alert number 4[26]/i.test(
      rootMessage(error),
    )
  );
}

/** What to check for a failure, from the shapes kafkajs and Node's TLS give (name, message). */
function hint(error: unknown, config: KafkaSecurityConfig): string {
  const name = (error as { name?: string } | undefined)?.name ?? '';
  const message = rootMessage(error);
  if (name === 'KafkaJSSASLAuthenticationError' || /SASL .*authentication failed/i.test(message)) {
    return 'check KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD and KAFKA_SASL_MECHANISM';
  }
  if (/not authorized|authorization failed/i.test(message)) {
    return "connected, but the user lacks an ACL: Create/Describe/Read/Write on the service's topics and Read on its group (docs/managed-kafka.md)";
  }
  if (/bad certificate|alert number 4[26]|certificate required/i.test(message)) {
    return 'the broker refused our TLS client certificate: set or check KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE';
  }
  if (/certificate|self[- ]signed|unable to verify|altnames|hostname/i.test(message)) {
    return "the broker's TLS certificate was not trusted: check KAFKA_SSL_CA_FILE (and that KAFKA_BROKERS names a host in the certificate)";
  }
  if (/closed connection|socket hang up|ECONNRESET|wrong version number|packet length too long/i.test(message)) {
    return config.KAFKA_SSL
      ? 'the broker closed the connection: does this listener expect SASL (KAFKA_SASL_MECHANISM) or no TLS (KAFKA_SSL)?'
      : 'the broker closed the connection: does this listener expect TLS (KAFKA_SSL=true) or SASL (KAFKA_SASL_MECHANISM)?';
  }
  return 'check KAFKA_BROKERS and that the brokers are up';
}

/**
 * Rewraps a failure to connect at start into one line an operator can act on: brokers, security
 * protocol, mechanism and user (never the password), kafkajs's reason and the variables to check.
 */
export function describeKafkaConnectionError(
  error: unknown,
  config: KafkaSecurityConfig & { KAFKA_BROKERS: string[] },
): KafkaConnectionError {
  const protocol = securityProtocol(config);
  const who = config.KAFKA_SASL_MECHANISM
    ? ` (${config.KAFKA_SASL_MECHANISM.toUpperCase()} as "${config.KAFKA_SASL_USERNAME}")`
    : '';
  const lines = [
    `cannot connect to Kafka at ${config.KAFKA_BROKERS.join(',')} over ${protocol}${who}: ${rootMessage(error).split('\n')[0]}`,
    hint(error, config),
  ];
  return new KafkaConnectionError(lines.join(' — '), { cause: error, permanent: isRefusal(error) });
}
