import type { Registry } from 'prom-client';
import type { Logger } from '@customer-sync/logger';
import { startInBackground, type BackgroundStart, type Startable } from './background-start';
import { KafkaConnectionError } from './kafka-connection-error';
import { kafkaReadiness } from './kafka-readiness';
import { connectServiceKafka, type KafkaConfig, type ServiceKafka } from './service-kafka';
import type { TopicMap } from './topic-names';

/** What a service runs on top of its Kafka connection (a consumer, a relay, a publisher). */
export interface KafkaPart extends Startable {
  /** False while the part is not yet usable (a consumer that has not joined its group). */
  isReady?(): boolean;
}

/** A service's Kafka side once it is up: topics, producer, and the part it runs on them. */
export interface RunningServiceKafka<P extends KafkaPart> {
  bus: ServiceKafka;
  part: P;
  stop(): Promise<void>;
}

/** The Kafka side of a service, started in the background, with the readiness check it answers. */
export interface BackgroundServiceKafka<P extends KafkaPart> extends BackgroundStart<RunningServiceKafka<P>> {
  /** Ready once started, the part is ready and the broker answers. */
  readiness: { name: string; explains: boolean; check(): Promise<void> };
}

/**
 * Connects a service to Kafka (topics, idempotent producer) and starts `attach` on it without
 * holding up the service's start: the process serves /health at once, so a liveness probe never
 * kills it while it waits for Kafka (or, for a consumer, for a dead predecessor's session to end),
 * and its readiness check turns ok when the Kafka side is up. Brokers that do not answer are
 * retried; a refusal no retry can fix (credentials, ACLs, certificates) calls `onFatal`, so the
 * process stops with the reason as it would have at start.
 */
export function startServiceKafka<P extends KafkaPart>(
  config: KafkaConfig,
  logger: Logger,
  uses: (topics: TopicMap) => string[],
  attach: (bus: ServiceKafka) => Promise<P>,
  options: { onFatal: (error: unknown) => void; registry?: Registry },
): BackgroundServiceKafka<P> {
  let broker: ReturnType<typeof kafkaReadiness> | undefined;
  const background = startInBackground(
    'Kafka connection',
    async (): Promise<RunningServiceKafka<P>> => {
      const bus = await connectServiceKafka(config, logger, uses, options.registry);
      const part = await attach(bus).catch(async (error: unknown) => {
        await bus.producer.disconnect().catch(() => undefined);
        throw error;
      });
      broker = kafkaReadiness(bus.kafka);
      logger.info('connected to Kafka');
      return {
        bus,
        part,
        async stop() {
          await part.stop();
          await bus.producer.disconnect();
          await broker?.close();
        },
      };
    },
    {
      logger,
      isPermanent: (error) => error instanceof KafkaConnectionError && error.permanent,
      onPermanent: options.onFatal,
    },
  );
  return {
    ...background,
    readiness: {
      name: 'kafka',
      // Our own fixed words only: /ready may be public (the ingress), so no broker address or user.
      explains: true,
      async check() {
        const side = background.current();
        if (!side) throw new Error('not connected to Kafka yet (retrying)');
        if (side.part.isReady?.() === false) throw new Error('not ready (consumer group not joined)');
        await broker!.check().catch(() => {
          throw new Error('the Kafka brokers do not answer');
        });
      },
    },
  };
}
