import { ConfigResourceTypes, type Kafka } from 'kafkajs';

/** Kafka's own default for `message.max.bytes` (1 MiB + 12 bytes of log overhead). */
export const KAFKA_DEFAULT_MAX_MESSAGE_BYTES = 1_048_588;

/** The largest record batch, in bytes, each topic accepts (`max.message.bytes`, header included). */
export interface TopicLimits {
  /** The topic's limit; for a topic not read at start, the broker's `message.max.bytes`. */
  maxMessageBytes(topic: string): number;
}

/** Fixed limits, for tests and tools that know them. */
export function fixedTopicLimits(byTopic: Record<string, number>, fallback = KAFKA_DEFAULT_MAX_MESSAGE_BYTES): TopicLimits {
  return { maxMessageBytes: (topic) => byTopic[topic] ?? fallback };
}

const numberOf = (entries: { configName: string; configValue: string }[], name: string) => {
  const value = Number(entries.find((e) => e.configName === name)?.configValue);
  return Number.isInteger(value) && value > 0 ? value : undefined;
};

/**
 * Reads, through the admin client (DescribeConfigs), every broker's `message.max.bytes` and each
 * topic's effective `max.message.bytes` (its own override, else the broker's value). The smallest
 * broker value stands for topics not listed. Throws when the broker cannot be asked: a start
 * without known limits would be guessing again.
 */
export async function readTopicLimits(kafka: Kafka, topics: string[]): Promise<TopicLimits> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { brokers } = await admin.describeCluster();
    const { resources } = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [
        ...brokers.map((b) => ({ type: ConfigResourceTypes.BROKER, name: String(b.nodeId), configNames: ['message.max.bytes'] })),
        ...topics.map((name) => ({ type: ConfigResourceTypes.TOPIC, name, configNames: ['max.message.bytes'] })),
      ],
    });
    const brokerValues = resources
      .filter((r) => r.resourceType === ConfigResourceTypes.BROKER)
      .map((r) => numberOf(r.configEntries, 'message.max.bytes'))
      .filter((v): v is number => v !== undefined);
    const fallback = brokerValues.length > 0 ? Math.min(...brokerValues) : KAFKA_DEFAULT_MAX_MESSAGE_BYTES;
    const byTopic: Record<string, number> = {};
    for (const r of resources) {
      const value = r.resourceType === ConfigResourceTypes.TOPIC ? numberOf(r.configEntries, 'max.message.bytes') : undefined;
      if (value !== undefined) byTopic[r.resourceName] = value;
    }
    return fixedTopicLimits(byTopic, fallback);
  } finally {
    await admin.disconnect();
  }
}
