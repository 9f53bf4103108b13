import type { Registry } from 'prom-client';
import type { DbWriterConfig } from '@customer-sync/config';
import { createWriterMetrics, stripeEventHandler, syncResultHandler } from '@customer-sync/customer-writer';
import type { Db } from '@customer-sync/db';
import { consumerSettings, startConsumer, type ConsumerGroup, type ServiceKafka } from '@customer-sync/kafka';
import type { Logger } from '@customer-sync/logger';
import { stripeKeyMode, type Stripe } from '@customer-sync/stripe-client';

export interface WriterConsumerDeps extends ServiceKafka {
  db: Db;
  stripe: Stripe;
  logger: Logger;
  registry: Registry;
  onFatal: (error: unknown) => void;
}

/** One consumer group for both inputs of db-writer. */
export function startWriterConsumer(config: DbWriterConfig, deps: WriterConsumerDeps) {
  const applier = {
    ...deps,
    metrics: createWriterMetrics(deps.registry),
    livemode: stripeKeyMode(config.STRIPE_SECRET_KEY) === 'live',
    account: config.STRIPE_ACCOUNT,
  };
  return startConsumer({
    ...consumerSettings(config, 'db-writer' satisfies ConsumerGroup),
    ...deps,
    handlers: {
      [deps.topics.stripeEvents]: stripeEventHandler(applier),
      [deps.topics.customerSyncResults]: syncResultHandler(deps),
    },
  });
}
