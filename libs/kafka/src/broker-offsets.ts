import type { Admin } from 'kafkajs';

/** Where a consumer group stands on one partition, as the broker reports it. */
export interface PartitionLag {
  topic: string;
  partition: number;
  /** The group's committed offset; null when it never committed on this partition. */
  committed: number | null;
  /** The partition's high watermark (next offset to be written). */
  end: number;
  /** Messages the group still has to process. */
  lag: number;
}

/** Low and high watermark of each partition of a topic; an empty list when the topic does not exist. */
export async function topicWatermarks(
  admin: Admin,
  topic: string,
): Promise<{ partition: number; low: number; high: number }[]> {
  // Asking for an unknown topic's offsets makes kafkajs retry for seconds; look it up first.
  if (!(await admin.listTopics()).includes(topic)) return [];
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets
    .map((p) => ({ partition: p.partition, low: Number(p.low), high: Number(p.high) }))
    .sort((a, b) => a.partition - b.partition);
}

/** A group's committed offsets on a topic, by partition (absent: never committed). */
export async function committedOffsets(admin: Admin, groupId: string, topic: string): Promise<Map<number, number>> {
  const [result] = await admin.fetchOffsets({ groupId, topics: [topic] });
  const committed = new Map<number, number>();
  for (const p of result?.partitions ?? []) if (Number(p.offset) >= 0) committed.set(p.partition, Number(p.offset));
  return committed;
}

/**
 * A group's lag per partition, read from the broker (committed offsets against high watermarks),
 * so it stays true when the consumer is idle, stalled or gone. A group that never committed on a
 * partition is behind by everything still retained there.
 */
export async function readGroupLag(admin: Admin, groupId: string, topics: string[]): Promise<PartitionLag[]> {
  const out: PartitionLag[] = [];
  for (const topic of topics) {
    const ends = await topicWatermarks(admin, topic);
    if (ends.length === 0) continue;
    const committed = await committedOffsets(admin, groupId, topic);
    for (const { partition, low, high } of ends) {
      const position = committed.get(partition);
      out.push({
        topic,
        partition,
        committed: position ?? null,
        end: high,
        lag: Math.max(0, high - Math.max(position ?? low, low)),
      });
    }
  }
  return out;
}
