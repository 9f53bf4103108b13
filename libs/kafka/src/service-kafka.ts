import type { Kafka } from 'kafkajs';
import type { Registry } from 'prom-client';
import { dlqTopicOf } from '@customer-sync/contracts';
import { kafkaSecurity, type KafkaSecurityConfig } from '@customer-sync/config';
import type { Logger } from '@customer-sync/logger';
import { ensureTopics } from './ensure-topics';
import { createKafkaClient } from './kafka-client';
import { describeKafkaConnectionError } from './kafka-connection-error';
import { createIdempotentProducer } from './producer';
import type { SafeProducer } from './safe-producer';
import { readTopicLimits, type TopicLimits } from './topic-limits';
import { groupName, resolveTopics, type TopicMap } from './topic-names';

/** The Kafka part of a service's config (libs/config `kafkaEnv`). */
export interface KafkaConfig extends KafkaSecurityConfig {
  KAFKA_BROKERS: string[];
  KAFKA_CLIENT_ID: string;
  KAFKA_TOPIC_SUFFIX: string;
  KAFKA_TOPIC_PARTITIONS: number;
  KAFKA_REPLICATION_FACTOR: number;
  KAFKA_SESSION_TIMEOUT_MS: number;
}

export interface ConsumerConfig extends KafkaConfig {
  CONSUMER_MAX_ATTEMPTS: number;
  RETRY_BASE_MS: number;
  RETRY_MAX_MS: number;
}

export interface ServiceKafka {
  kafka: Kafka;
  producer: SafeProducer;
  topics: TopicMap;
  /** `max.message.bytes` of the topics the service uses and their DLQs, read from the broker at start. */
  limits: TopicLimits;
}

/**
 * Connects a service to Kafka at start: the client, the topics it uses (and their DLQs) created if
 * missing, their size limits read from the broker, and a connected idempotent producer that refuses
 * what cannot fit, over the config's TLS/SASL settings. A failure here is fatal to the start: it
 * throws a KafkaConnectionError saying what to check.
 */
export async function connectServiceKafka(
  config: KafkaConfig,
  logger: Logger,
  uses: (topics: TopicMap) => string[],
  registry?: Registry,
): Promise<ServiceKafka> {
  const topics = resolveTopics(config.KAFKA_TOPIC_SUFFIX);
  const kafka = createKafkaClient({
    brokers: config.KAFKA_BROKERS,
    clientId: config.KAFKA_CLIENT_ID,
    logger,
    security: kafkaSecurity(config),
  });
  const used = uses(topics);
  try {
    await ensureTopics(kafka, used, {
      partitions: config.KAFKA_TOPIC_PARTITIONS,
      replicationFactor: config.KAFKA_REPLICATION_FACTOR,
    });
    const limits = await readTopicLimits(
      kafka,
      used.flatMap((t) => [t, dlqTopicOf(t)]),
    );
    logger.info('kafka topic limits read', {
      maxMessageBytes: Object.fromEntries(used.map((t) => [t, limits.maxMessageBytes(t)])),
    });
    const producer = createIdempotentProducer(kafka, { logger, limits, registry });
    await producer.connect();
    return { kafka, producer, topics, limits };
  } catch (error) {
    throw describeKafkaConnectionError(error, config);
  }
}

/** Consumer settings a service takes from its config: concurrent across partitions, in order within one. */
export function consumerSettings(config: ConsumerConfig, group: string) {
  return {
    groupId: groupName(group, config.KAFKA_TOPIC_SUFFIX),
    maxAttempts: config.CONSUMER_MAX_ATTEMPTS,
    backoff: { baseMs: config.RETRY_BASE_MS, maxMs: config.RETRY_MAX_MS },
    partitionsConsumedConcurrently: config.KAFKA_TOPIC_PARTITIONS,
    sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
  };
}
