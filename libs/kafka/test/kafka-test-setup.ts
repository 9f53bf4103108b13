import { testLogger, TEST_KAFKA_BROKERS, TEST_KAFKA_SECURITY, uniqueSuffix } from '@customer-sync/testing';
import { createIdempotentProducer, createKafkaClient, ensureTopics, type ConsumerHandle } from '../src';

/**
 * What a test file of this lib shares: a logger, a client of the test broker (over its TLS/SASL
 * settings if any) and an idempotent producer, connected in beforeAll and disconnected in afterAll.
 * Consumers pushed to `running` are stopped after each test.
 */
export function useKafkaTestClient(clientId: string, options: { loggerName?: string } = {}) {
  const logger = testLogger(options.loggerName ?? clientId);
  const kafka = createKafkaClient({ brokers: TEST_KAFKA_BROKERS, clientId, logger, security: TEST_KAFKA_SECURITY });
  const producer = createIdempotentProducer(kafka);
  const running: ConsumerHandle[] = [];
  beforeAll(() => producer.connect());
  afterEach(async () => {
    await Promise.all(running.splice(0).map((c) => c.stop()));
  });
  afterAll(() => producer.disconnect());
  return { logger, kafka, producer, running };
}

/** A topic of this run's own, `<prefix>.<suffix>`, created with `partitions` partitions. */
export async function newTopic(kafka: ReturnType<typeof createKafkaClient>, prefix: string, partitions = 1) {
  const topic = `${prefix}.${uniqueSuffix()}`;
  await ensureTopics(kafka, [topic], { partitions, replicationFactor: 1 });
  return topic;
}
