import type { Kafka } from 'kafkajs';
import { dlqTopicOf } from '@customer-sync/contracts';

export interface EnsureTopicsOptions {
  partitions: number;
  replicationFactor: number;
  /** Also create `<topic>.dlq` for each topic. */
  withDlq?: boolean;
}

/** Creates missing topics (and their DLQs) through the admin client; existing ones are left alone. */
export async function ensureTopics(kafka: Kafka, topics: string[], options: EnsureTopicsOptions): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const wanted = options.withDlq === false ? topics : topics.flatMap((t) => [t, dlqTopicOf(t)]);
    const existing = new Set(await admin.listTopics());
    const missing = [...new Set(wanted)].filter((t) => !existing.has(t));
    if (missing.length === 0) return;
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((topic) => ({
        topic,
        numPartitions: options.partitions,
        replicationFactor: options.replicationFactor,
      })),
    });
  } finally {
    await admin.disconnect();
  }
}
