import type { Registry } from 'prom-client';
import type { Logger } from '@customer-sync/logger';
import { startServiceKafka, type BackgroundServiceKafka, type KafkaPart } from './background-service-kafka';
import type { ConsumerHandle } from './consumer-runner';
import type { KafkaConfig, ServiceKafka } from './service-kafka';
import type { TopicMap } from './topic-names';

/** A consumer as the Kafka part of a service: ready once it has joined its group. */
export interface ConsumerPart extends KafkaPart {
  consumer: ConsumerHandle;
}

/**
 * The Kafka side of a consuming service, started in the background (see startServiceKafka): /ready
 * turns 200 when the consumer has joined its group.
 */
export function startServiceConsumer(
  config: KafkaConfig,
  logger: Logger,
  uses: (topics: TopicMap) => string[],
  startConsumer: (bus: ServiceKafka) => Promise<ConsumerHandle>,
  options: { onFatal: (error: unknown) => void; registry?: Registry },
): BackgroundServiceKafka<ConsumerPart> {
  return startServiceKafka(
    config,
    logger,
    uses,
    async (bus) => {
      const consumer = await startConsumer(bus);
      return { consumer, isReady: () => consumer.isJoined(), stop: () => consumer.stop() };
    },
    options,
  );
}
