import type { Kafka, Producer } from 'kafkajs';
import type { Registry } from 'prom-client';
import type { DbWriterConfig } from '@customer-sync/config';
import { stripeEventHandler, syncResultHandler } from '@customer-sync/customer-writer';
import type { Db } from '@customer-sync/db';
import { groupName, startConsumer, type TopicMap } from '@customer-sync/kafka';
import type { Logger } from '@customer-sync/logger';
import type { Stripe } from '@customer-sync/stripe-client';

export interface WriterConsumerDeps {
  kafka: Kafka;
  producer: Producer;
  db: Db;
  stripe: Stripe;
  topics: TopicMap;
  logger: Logger;
  registry: Registry;
  onFatal: (error: unknown) => void;
}

/** One consumer group for both inputs; partitions are processed concurrently, each in order. */
export function startWriterConsumer(config: DbWriterConfig, deps: WriterConsumerDeps) {
  return startConsumer({
    kafka: deps.kafka,
    groupId: groupName('db-writer', config.KAFKA_TOPIC_SUFFIX),
    producer: deps.producer,
    logger: deps.logger,
    registry: deps.registry,
    maxAttempts: config.CONSUMER_MAX_ATTEMPTS,
    backoff: { baseMs: config.RETRY_BASE_MS, maxMs: config.RETRY_MAX_MS },
    partitionsConsumedConcurrently: config.KAFKA_TOPIC_PARTITIONS,
    sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
    onFatal: deps.onFatal,
    handlers: {
      [deps.topics.stripeEvents]: stripeEventHandler(deps),
      [deps.topics.customerSyncResults]: syncResultHandler(deps),
    },
  });
}
