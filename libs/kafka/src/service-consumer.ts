import type { Logger } from '@customer-sync/logger';
import { startInBackground, type BackgroundStart } from './background-start';
import type { ConsumerHandle } from './consumer-runner';
import { kafkaReadiness } from './kafka-readiness';
import { connectServiceKafka, type KafkaConfig, type ServiceKafka } from './service-kafka';
import type { TopicMap } from './topic-names';

/** A consuming service's Kafka side once it is up: topics, producer and its consumer group. */
export interface ServiceConsumer {
  bus: ServiceKafka;
  consumer: ConsumerHandle;
  stop(): Promise<void>;
}

/** The Kafka side of a consuming service, started in the background, with the readiness check it answers. */
export interface BackgroundServiceConsumer extends BackgroundStart<ServiceConsumer> {
  /** Ready once the consumer has joined its group and the broker answers. */
  readiness: { name: string; check(): Promise<void> };
}

/**
 * Connects a consuming service to Kafka without holding up its start: the process serves /health
 * at once (a liveness probe never kills it while it waits for Kafka, or for a dead predecessor's
 * session to expire), and /ready turns 200 when the group is joined.
 */
export function startServiceConsumer(
  config: KafkaConfig,
  logger: Logger,
  uses: (topics: TopicMap) => string[],
  startConsumer: (bus: ServiceKafka) => Promise<ConsumerHandle>,
): BackgroundServiceConsumer {
  let broker: ReturnType<typeof kafkaReadiness> | undefined;
  const background = startInBackground(
    'Kafka consumer',
    async (): Promise<ServiceConsumer> => {
      const bus = await connectServiceKafka(config, logger, uses);
      const consumer = await startConsumer(bus).catch(async (error: unknown) => {
        await bus.producer.disconnect().catch(() => undefined);
        throw error;
      });
      broker = kafkaReadiness(bus.kafka);
      logger.info('Kafka consumer started; joining its group');
      return {
        bus,
        consumer,
        async stop() {
          await consumer.stop();
          await bus.producer.disconnect();
          await broker?.close();
        },
      };
    },
    { logger },
  );
  return {
    ...background,
    readiness: {
      name: 'kafka',
      async check() {
        const side = background.current();
        if (!side) throw new Error('not connected to Kafka yet');
        if (!side.consumer.isJoined()) throw new Error('consumer group not joined');
        await broker!.check();
      },
    },
  };
}
