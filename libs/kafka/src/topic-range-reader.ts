import { randomUUID } from 'node:crypto';
import type { Kafka, KafkaMessage } from 'kafkajs';

/** A message read back with the partition it came from. */
export interface ReadMessage {
  partition: number;
  message: KafkaMessage;
}

/** Offsets [from, to) of one partition. */
export interface ReadRange {
  partition: number;
  from: number;
  to: number;
}

/**
 * Reads the given offset ranges of a topic without touching any real group: a throwaway group is
 * positioned at each range's start, consumed until each range's end, then deleted.
 */
export async function readTopicRanges(
  kafka: Kafka,
  topic: string,
  ranges: ReadRange[],
  timeoutMs = 30_000,
): Promise<ReadMessage[]> {
  const wanted = ranges.filter((r) => r.to > r.from);
  if (wanted.length === 0) return [];
  const groupId = `customer-sync-reader.${randomUUID()}`;
  const admin = kafka.admin();
  await admin.connect();
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 250, allowAutoTopicCreation: false });
  try {
    const all = await admin.fetchTopicOffsets(topic);
    const start = new Map(all.map((p) => [p.partition, Number(p.high)]));
    for (const r of wanted) start.set(r.partition, r.from);
    await admin.setOffsets({
      groupId,
      topic,
      partitions: [...start].map(([partition, offset]) => ({ partition, offset: String(offset) })),
    });

    const end = new Map(wanted.map((r) => [r.partition, r.to]));
    const out: ReadMessage[] = [];
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        const stop = end.get(partition);
        if (stop === undefined) return;
        if (Number(message.offset) < stop) out.push({ partition, message });
        if (Number(message.offset) + 1 >= stop) end.delete(partition);
        if (end.size === 0) finish();
      },
    });
    const timer = setTimeout(finish, timeoutMs);
    await finished;
    clearTimeout(timer);
    if (end.size > 0) throw new Error(`reading ${topic} timed out after ${timeoutMs} ms`);
    return out.sort((a, b) => a.partition - b.partition || Number(a.message.offset) - Number(b.message.offset));
  } finally {
    await consumer.disconnect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}
