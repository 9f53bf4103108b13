import type { Kafka, Producer } from 'kafkajs';
import type { Registry } from 'prom-client';
import type { StripeSyncWorkerConfig } from '@customer-sync/config';
import { groupName, startConsumer, type TopicMap } from '@customer-sync/kafka';
import type { Logger } from '@customer-sync/logger';
import { requestedHandler, type CustomerSyncDeps } from '@customer-sync/stripe-sync';

export interface RequestedConsumerDeps extends CustomerSyncDeps {
  kafka: Kafka;
  producer: Producer;
  topics: TopicMap;
  logger: Logger;
  registry: Registry;
  onFatal: (error: unknown) => void;
}

/** Consumes customer.requested: concurrent across partitions, in order within one. */
export function startRequestedConsumer(config: StripeSyncWorkerConfig, deps: RequestedConsumerDeps) {
  return startConsumer({
    kafka: deps.kafka,
    groupId: groupName('stripe-sync-worker', config.KAFKA_TOPIC_SUFFIX),
    producer: deps.producer,
    logger: deps.logger,
    registry: deps.registry,
    maxAttempts: config.CONSUMER_MAX_ATTEMPTS,
    backoff: { baseMs: config.RETRY_BASE_MS, maxMs: config.RETRY_MAX_MS },
    partitionsConsumedConcurrently: config.KAFKA_TOPIC_PARTITIONS,
    sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
    onFatal: deps.onFatal,
    handlers: {
      [deps.topics.customerRequested]: requestedHandler({ ...deps, resultsTopic: deps.topics.customerSyncResults }),
    },
  });
}
