import type { Kafka } from 'kafkajs';
import { dlqTopicOf } from '@customer-sync/contracts';
import type { Logger } from '@customer-sync/logger';
import { originalHeaders } from './dead-letter';
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
 */
export async function replayDlq(options: ReplayOptions): Promise<{ replayed: number }> {
  const dlq = dlqTopicOf(options.topic);
  const groupId = options.groupId ?? `dlq-replay.${options.topic}`;
  const admin = options.kafka.admin();
  await admin.connect();
  const ends = new Map((await admin.fetchTopicOffsets(dlq)).map((p) => [p.partition, BigInt(p.high)]));
  const [committed] = await admin.fetchOffsets({ groupId, topics: [dlq] });
  await admin.disconnect();
  const position = new Map((committed?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset === '-1' ? 0 : p.offset)]));
  const pending = () => [...ends].filter(([partition, end]) => (position.get(partition) ?? 0n) < end);
  if (pending().length === 0) return { replayed: 0 };

  const consumer = options.kafka.consumer({ groupId, allowAutoTopicCreation: false });
  let replayed = 0;
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  await consumer.connect();
  await consumer.subscribe({ topic: dlq, fromBeginning: true });
  await consumer.run({
    autoCommitThreshold: 1,
    eachMessage: async ({ partition, message }) => {
      if (BigInt(message.offset) < (ends.get(partition) ?? 0n)) {
        await publish(options.producer, options.topic, [
          { key: message.key?.toString() ?? '', value: message.value ?? Buffer.alloc(0), headers: originalHeaders(message) },
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
  options.logger.info('dlq replay finished', { topic: options.topic, replayed, complete: pending().length === 0 });
  return { replayed };
}
