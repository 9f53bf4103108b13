import { Kafka, logLevel, type Consumer, type KafkaMessage } from 'kafkajs';
import { TEST_KAFKA_BROKERS, TEST_KAFKA_SECURITY } from './test-env';

/** A quiet kafkajs client of the shared test broker, over its TLS/SASL settings if any. */
export function testKafka(clientId = 'test'): Kafka {
  return new Kafka({
    clientId,
    brokers: TEST_KAFKA_BROKERS,
    ...TEST_KAFKA_SECURITY,
    logLevel: logLevel.NOTHING,
    retry: { retries: 3 },
  });
}

/** Reads a topic from the beginning into an array, for assertions. */
export async function collectTopic(
  kafka: Kafka,
  topic: string,
): Promise<{ messages: KafkaMessage[]; stop: () => Promise<void> }> {
  const messages: KafkaMessage[] = [];
  const consumer: Consumer = kafka.consumer({
    groupId: `collect-${topic}-${Math.random().toString(36).slice(2)}`,
    maxWaitTimeInMs: 500,
  });
  await consumer.connect();
  await subscribeOnceTopicExists(consumer, topic);
  await consumer.run({ eachMessage: async ({ message }) => void messages.push(message) });
  return { messages, stop: () => consumer.disconnect() };
}

/**
 * Subscribes once the topic exists: services now create their topics after they start (they start
 * while Kafka is down), so a test may ask for a topic a moment before it is there. Throws after 30 s.
 */
async function subscribeOnceTopicExists(consumer: Consumer, topic: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      return await consumer.subscribe({ topic, fromBeginning: true });
    } catch (error) {
      if ((error as { type?: string }).type !== 'UNKNOWN_TOPIC_OR_PARTITION' || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
