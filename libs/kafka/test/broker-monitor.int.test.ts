import { Registry } from 'prom-client';
import { dlqTopicOf } from '@customer-sync/contracts';
import { waitFor } from '@customer-sync/testing';
import { publish, startBrokerMonitor } from '../src';
import { useKafkaTestClient, newTopic } from './kafka-test-setup';

const { logger, kafka, producer } = useKafkaTestClient('broker-monitor-test');

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
    const topic = await newTopic(kafka, 'monitor-test');
    const groupId = `g-${topic}`;
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
