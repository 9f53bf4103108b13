import { ConfigResourceTypes, type Admin, type Kafka } from 'kafkajs';

/** Kafka's own default for `message.max.bytes` (1 MiB + 12 bytes of log overhead). */
export const KAFKA_DEFAULT_MAX_MESSAGE_BYTES = 1_048_588;

/** The largest record batch, in bytes, each topic accepts (`max.message.bytes`, header included). */
export interface TopicLimits {
  /** The topic's limit; for a topic not read at start, the broker's `message.max.bytes`. */
  maxMessageBytes(topic: string): number;
}

/** Fixed limits, for tests and tools that know them. */
export function fixedTopicLimits(
  byTopic: Record<string, number>,
  fallback = KAFKA_DEFAULT_MAX_MESSAGE_BYTES,
): TopicLimits {
  return { maxMessageBytes: (topic) => byTopic[topic] ?? fallback };
}

const numberOf = (entries: { configName: string; configValue: string }[], name: string) => {
  const value = Number(entries.find((e) => e.configName === name)?.configValue);
  return Number.isInteger(value) && value > 0 ? value : undefined;
};

/**
 * Reads, through the admin client (DescribeConfigs), each topic's effective `max.message.bytes`
 * (its own override, else the broker's default) and, for topics not listed, the smallest broker
 * `message.max.bytes`. Throws when the topics cannot be described: a start without known limits
 * would be guessing again. The broker part is best effort (managed clusters often deny describing
 * brokers); without it, unlisted topics get the smallest listed topic's limit, else Kafka's default.
 */
export async function readTopicLimits(kafka: Kafka, topics: string[]): Promise<TopicLimits> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const byTopic: Record<string, number> = {};
    if (topics.length > 0) {
      const { resources } = await admin.describeConfigs({
        includeSynonyms: false,
        resources: topics.map((name) => ({
          type: ConfigResourceTypes.TOPIC,
          name,
          configNames: ['max.message.bytes'],
        })),
      });
      for (const r of resources) {
        const value = numberOf(r.configEntries, 'max.message.bytes');
        if (value !== undefined) byTopic[r.resourceName] = value;
      }
    }
    const brokerLimit = await smallestBrokerLimit(admin).catch(() => undefined);
    const topicValues = Object.values(byTopic);
    const fallback =
      brokerLimit ?? (topicValues.length > 0 ? Math.min(...topicValues) : KAFKA_DEFAULT_MAX_MESSAGE_BYTES);
    return fixedTopicLimits(byTopic, fallback);
  } finally {
    await admin.disconnect();
  }
}

async function smallestBrokerLimit(admin: Admin): Promise<number | undefined> {
  const { brokers } = await admin.describeCluster();
  const { resources } = await admin.describeConfigs({
    includeSynonyms: false,
    resources: brokers.map((b) => ({
      type: ConfigResourceTypes.BROKER,
      name: String(b.nodeId),
      configNames: ['message.max.bytes'],
    })),
  });
  const values = resources
    .map((r) => numberOf(r.configEntries, 'message.max.bytes'))
    .filter((v): v is number => v !== undefined);
  return values.length > 0 ? Math.min(...values) : undefined;
}
