import { Kafka, logLevel, type LogEntry } from 'kafkajs';
import type { KafkaSecurity } from '@customer-sync/config';
import type { Logger } from '@customer-sync/logger';

export interface KafkaClientOptions {
  brokers: string[];
  clientId: string;
  logger: Logger;
  /** How long one connection attempt may take; kept short so an outage is seen quickly. */
  connectionTimeoutMs?: number;
  /** TLS and SASL (see `kafkaSecurity`); absent = plaintext without authentication. */
  security?: KafkaSecurity;
}

const LEVELS: Record<number, string> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/** A kafkajs client with our logging, timeouts and retry policy, and the deployment's TLS/SASL settings. */
export function createKafkaClient(options: KafkaClientOptions): Kafka {
  const logCreator = () => (entry: LogEntry) => {
    const { message, ...extra } = entry.log;
    // Our idempotent producer bounds its retries on purpose (callers back off and re-send, consumers
    // deduplicate), so kafkajs's warning about that says nothing new on every start.
    if (message.startsWith('Limiting retries for the idempotent producer')) return;
    // kafkajs reports every broker reconnect at error level; our own code logs what matters.
    const level = entry.level === logLevel.ERROR ? 'warn' : (LEVELS[entry.level] ?? 'info');
    options.logger.log(level, `kafkajs ${entry.namespace}: ${message}`, { kafka: extra });
  };
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    ...options.security,
    connectionTimeout: options.connectionTimeoutMs ?? 3000,
    requestTimeout: 10_000,
    retry: { initialRetryTime: 200, retries: 8, maxRetryTime: 5000 },
    logLevel: logLevel.WARN,
    logCreator,
  });
}
