import { Registry } from 'prom-client';
import { dlqTopicOf } from '@customer-sync/contracts';
import { testLogger, TEST_KAFKA_BROKERS, TEST_KAFKA_SECURITY, uniqueSuffix, waitFor } from '@customer-sync/testing';
import {
  createIdempotentProducer,
  createKafkaClient,
  ensureTopics,
  publish,
  startBrokerMonitor,
  type SafeProducer,
} from '../src';

const logger = testLogger('broker-monitor-test');
const kafka = createKafkaClient({
  brokers: TEST_KAFKA_BROKERS,
  clientId: 'broker-monitor-test',
  logger,
  security: TEST_KAFKA_SECURITY,
});
let producer: SafeProducer;

beforeAll(async () => {
  producer = createIdempotentProducer(kafka);
  await producer.connect();
});
afterAll(() => producer.disconnect());

async function gaugeValue(
  registry: Registry,
  name: string,
  labels: Record<string, string>,
): Promise<number | undefined> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  return (metric?.values as { value: number; labels: Record<string, string | number> }[] | undefined)?.find((v) =>
    Object.entries(labels).every(([k, val]) => String(v.labels[k]) === val),
  )?.value;
}

describe('broker monitor', () => {
  it('reports the lag of a group that consumes nothing, and the depth of its DLQ, from the broker', async () => {
    const topic = `monitor-test.${uniqueSuffix()}`;
    const groupId = `g-${topic}`;
    await ensureTopics(kafka, [topic], { partitions: 1, replicationFactor: 1 });
    await publish(
      producer,
      topic,
      [1, 2, 3, 4].map((n) => ({ key: 'k', value: String(n) })),
    );
    await publish(producer, dlqTopicOf(topic), [{ key: 'k', value: 'poison' }]);
    const admin = kafka.admin();
    await admin.connect();
    await admin.setOffsets({ groupId, topic, partitions: [{ partition: 0, offset: '1' }] });
    await admin.disconnect();

    const registry = new Registry();
    const monitor = startBrokerMonitor({ kafka, groupId, topics: [topic], registry, logger, intervalMs: 200 });
    try {
      await waitFor(
        async () => (await gaugeValue(registry, 'kafka_consumer_lag', { group: groupId, topic, partition: '0' })) === 3,
        { what: 'lag 3' },
      );
      await waitFor(async () => (await gaugeValue(registry, 'kafka_dlq_depth', { topic })) === 1, {
        what: 'dlq depth 1',
      });
    } finally {
      await monitor.stop();
    }
  });
});
