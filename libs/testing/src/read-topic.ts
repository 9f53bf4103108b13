import type { Kafka, KafkaMessage } from 'kafkajs';

/**
 * Every message now in a topic: reads each partition from its start up to the high watermark taken
 * at the call, so "is this acknowledged message stored?" has a definite answer.
 * Throws when the end is not reached within timeoutMs (default 30 s).
 */
export async function readTopic(kafka: Kafka, topic: string, timeoutMs = 30_000): Promise<KafkaMessage[]> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, BigInt(p.high)]));
  await admin.disconnect();
  const pending = new Set([...ends].filter(([, end]) => end > 0n).map(([partition]) => partition));
  const messages: KafkaMessage[] = [];
  if (pending.size === 0) return messages;

  const consumer = kafka.consumer({
    groupId: `read-${topic}-${Math.random().toString(36).slice(2)}`,
    maxWaitTimeInMs: 200,
  });
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        const end = ends.get(partition) ?? 0n;
        if (BigInt(message.offset) < end) messages.push(message);
        if (BigInt(message.offset) + 1n >= end) pending.delete(partition);
        if (pending.size === 0) finish();
      },
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>(
      (_, reject) => (timer = setTimeout(() => reject(new Error(`reading ${topic} timed out`)), timeoutMs)),
    );
    await Promise.race([finished, timeout]).finally(() => clearTimeout(timer));
    return messages;
  } finally {
    await consumer.disconnect();
  }
}
