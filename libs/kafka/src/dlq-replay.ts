import type { Kafka } from 'kafkajs';
import { dlqTopicOf } from '@customer-sync/contracts';
import type { Logger } from '@customer-sync/logger';
import { DlqHeaders, headersToStrings, originalHeaders } from './dead-letter';
import { publish } from './producer';
import type { SafeProducer } from './safe-producer';

export interface ReplayOptions {
  kafka: Kafka;
  producer: SafeProducer;
  /** The topic whose DLQ is replayed; messages go back to it. */
  topic: string;
  logger: Logger;
  groupId?: string;
  timeoutMs?: number;
}

/**
 * Moves every message now in `<topic>.dlq` back to `<topic>`, once: the replay group's committed
 * offsets remember what was replayed, so running it again only replays newer dead letters.
 * Truncated copies (`dlq-truncated`) are skipped and logged with their pointer to the original.
 */
export async function replayDlq(options: ReplayOptions): Promise<{ replayed: number; skippedTruncated: number }> {
  const dlq = dlqTopicOf(options.topic);
  const groupId = options.groupId ?? `dlq-replay.${options.topic}`;
  const admin = options.kafka.admin();
  await admin.connect();
  const ends = new Map((await admin.fetchTopicOffsets(dlq)).map((p) => [p.partition, BigInt(p.high)]));
  const [committed] = await admin.fetchOffsets({ groupId, topics: [dlq] });
  await admin.disconnect();
  const position = new Map((committed?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset === '-1' ? 0 : p.offset)]));
  const pending = () => [...ends].filter(([partition, end]) => (position.get(partition) ?? 0n) < end);
  if (pending().length === 0) return { replayed: 0, skippedTruncated: 0 };

  const consumer = options.kafka.consumer({ groupId, allowAutoTopicCreation: false });
  let replayed = 0;
  let skipped = 0;
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  await consumer.connect();
  await consumer.subscribe({ topic: dlq, fromBeginning: true });
  await consumer.run({
    autoCommitThreshold: 1,
    eachMessage: async ({ partition, message }) => {
      const truncated = message.headers?.[DlqHeaders.truncated]?.toString() === 'true';
      if (truncated && BigInt(message.offset) < (ends.get(partition) ?? 0n)) {
        // Only the start of the value is here: replaying it would publish a broken message.
        skipped++;
        const h = headersToStrings(message.headers);
        options.logger.warn('truncated dead letter not replayed; the original is at its source', {
          sourceTopic: h[DlqHeaders.sourceTopic],
          sourcePartition: h[DlqHeaders.sourcePartition],
          sourceOffset: h[DlqHeaders.sourceOffset],
          originalBytes: h[DlqHeaders.originalBytes],
        });
      } else if (BigInt(message.offset) < (ends.get(partition) ?? 0n)) {
        await publish(options.producer, options.topic, [
          { key: message.key ?? '', value: message.value ?? Buffer.alloc(0), headers: originalHeaders(message) },
        ]);
        replayed++;
      }
      position.set(partition, BigInt(message.offset) + 1n);
      if (pending().length === 0) finish();
    },
  });
  const timeout = setTimeout(finish, options.timeoutMs ?? 60_000);
  await finished;
  clearTimeout(timeout);
  await consumer.disconnect();
  options.logger.info('dlq replay finished', { topic: options.topic, replayed, skippedTruncated: skipped, complete: pending().length === 0 });
  return { replayed, skippedTruncated: skipped };
}
