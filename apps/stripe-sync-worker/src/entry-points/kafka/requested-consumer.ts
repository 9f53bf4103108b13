import type { Registry } from 'prom-client';
import type { StripeSyncWorkerConfig } from '@customer-sync/config';
import { consumerSettings, startConsumer, type ConsumerGroup, type ServiceKafka } from '@customer-sync/kafka';
import type { Logger } from '@customer-sync/logger';
import { requestedHandler, type CustomerSyncDeps, type StripeKeyGate } from '@customer-sync/stripe-sync';

export interface RequestedConsumerDeps extends CustomerSyncDeps, ServiceKafka {
  logger: Logger;
  registry: Registry;
  keyGate: StripeKeyGate;
  onFatal: (error: unknown) => void;
}

/**
 * Consumes customer.requested and answers each command on customer.sync-results: up to
 * WORKER_CONCURRENCY commands of different customers at once, each customer's in order, offsets
 * committed only over commands whose results Kafka acknowledged.
 */
export function startRequestedConsumer(config: StripeSyncWorkerConfig, deps: RequestedConsumerDeps) {
  return startConsumer({
    ...consumerSettings(config, 'stripe-sync-worker' satisfies ConsumerGroup),
    ...deps,
    maxInFlight: config.WORKER_CONCURRENCY,
    handlers: {
      [deps.topics.customerRequested]: requestedHandler({ ...deps, resultsTopic: deps.topics.customerSyncResults }),
    },
  });
}
