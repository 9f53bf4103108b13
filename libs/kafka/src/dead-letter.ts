import type { KafkaMessage } from 'kafkajs';
import { dlqTopicOf } from '@customer-sync/contracts';
import { publish } from './producer';
import type { SafeProducer } from './safe-producer';

export const DlqHeaders = {
  error: 'dlq-error',
  sourceTopic: 'dlq-source-topic',
  sourcePartition: 'dlq-source-partition',
  sourceOffset: 'dlq-source-offset',
  attempts: 'dlq-attempts',
  failedAt: 'dlq-failed-at',
} as const;

const DLQ_HEADER_NAMES = new Set<string>(Object.values(DlqHeaders));

export function headersToStrings(headers: KafkaMessage['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value !== undefined) out[name] = Array.isArray(value) ? String(value.at(-1)) : String(value);
  }
  return out;
}

export interface DeadLetter {
  topic: string;
  partition: number;
  message: KafkaMessage;
  reason: string;
  attempts: number;
}

/** Copies a message that cannot be processed to `<topic>.dlq` with why, where from and how often it failed. */
export async function sendToDlq(producer: SafeProducer, letter: DeadLetter): Promise<void> {
  await publish(producer, dlqTopicOf(letter.topic), [
    {
      key: letter.message.key?.toString() ?? '',
      value: letter.message.value ?? Buffer.alloc(0),
      headers: {
        ...headersToStrings(letter.message.headers),
        [DlqHeaders.error]: letter.reason.slice(0, 2000),
        [DlqHeaders.sourceTopic]: letter.topic,
        [DlqHeaders.sourcePartition]: String(letter.partition),
        [DlqHeaders.sourceOffset]: letter.message.offset,
        [DlqHeaders.attempts]: String(letter.attempts),
        [DlqHeaders.failedAt]: new Date().toISOString(),
      },
    },
  ]);
}

/** The original headers of a dead-lettered message, without the DLQ bookkeeping. */
export function originalHeaders(message: KafkaMessage): Record<string, string> {
  const headers = headersToStrings(message.headers);
  for (const name of Object.keys(headers)) if (DLQ_HEADER_NAMES.has(name)) delete headers[name];
  return headers;
}
