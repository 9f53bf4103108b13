import type { KafkaMessage } from 'kafkajs';
import { dlqTopicOf } from '@customer-sync/contracts';
import { MessageTooLargeError } from './errors';
import { publish, type OutgoingMessage } from './producer';
import { RECORD_BATCH_OVERHEAD, recordSize } from './record-size';
import type { SafeProducer } from './safe-producer';

export const DlqHeaders = {
  error: 'dlq-error',
  sourceTopic: 'dlq-source-topic',
  sourcePartition: 'dlq-source-partition',
  sourceOffset: 'dlq-source-offset',
  attempts: 'dlq-attempts',
  failedAt: 'dlq-failed-at',
  /** 'true' when the copy holds only the start of the value (the whole one did not fit the DLQ). */
  truncated: 'dlq-truncated',
  /** Size in bytes of the original value, set on truncated copies. */
  originalBytes: 'dlq-original-bytes',
} as const;

const DLQ_HEADER_NAMES = new Set<string>(Object.values(DlqHeaders));
/** Longest error text kept in a DLQ header, in characters. */
const MAX_REASON_CHARS = 2000;

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

function bookkeeping(letter: DeadLetter): Record<string, string> {
  return {
    [DlqHeaders.error]: letter.reason.slice(0, MAX_REASON_CHARS),
    [DlqHeaders.sourceTopic]: letter.topic,
    [DlqHeaders.sourcePartition]: String(letter.partition),
    [DlqHeaders.sourceOffset]: letter.message.offset,
    [DlqHeaders.attempts]: String(letter.attempts),
    [DlqHeaders.failedAt]: new Date().toISOString(),
  };
}

/**
 * The copy that fits when the whole one does not: the DLQ bookkeeping (the pointer to the original:
 * source topic, partition, offset), the original size, and as much of the start of the value as
 * the DLQ's limit leaves room for. The original headers are dropped: they may be what is too large.
 */
export function truncatedCopy(letter: DeadLetter, limitBytes: number): OutgoingMessage {
  const value = letter.message.value ?? Buffer.alloc(0);
  const shell: OutgoingMessage = {
    key: letter.message.key?.toString() ?? '',
    value: Buffer.alloc(0),
    headers: { ...bookkeeping(letter), [DlqHeaders.truncated]: 'true', [DlqHeaders.originalBytes]: String(value.length) },
  };
  const room = Math.max(0, limitBytes - RECORD_BATCH_OVERHEAD - recordSize(shell));
  return { ...shell, value: value.subarray(0, Math.min(room, value.length)) };
}

/**
 * Copies a message that cannot be processed to `<topic>.dlq` with why, where from and how often it
 * failed. When the whole copy cannot fit the DLQ's `max.message.bytes`, a truncated copy is stored
 * instead (see truncatedCopy), so a dead letter never blocks its partition. Other errors (Kafka
 * unavailable) are thrown: the caller retries without committing.
 */
export async function sendToDlq(producer: SafeProducer, letter: DeadLetter): Promise<{ truncated: boolean }> {
  const dlq = dlqTopicOf(letter.topic);
  const whole: OutgoingMessage = {
    key: letter.message.key?.toString() ?? '',
    value: letter.message.value ?? Buffer.alloc(0),
    headers: { ...headersToStrings(letter.message.headers), ...bookkeeping(letter) },
  };
  try {
    await publish(producer, dlq, [whole]);
    return { truncated: false };
  } catch (error) {
    if (!(error instanceof MessageTooLargeError)) throw error;
  }
  await publish(producer, dlq, [truncatedCopy(letter, producer.maxMessageBytes(dlq))]);
  return { truncated: true };
}

/** The original headers of a dead-lettered message, without the DLQ bookkeeping. */
export function originalHeaders(message: KafkaMessage): Record<string, string> {
  const headers = headersToStrings(message.headers);
  for (const name of Object.keys(headers)) if (DLQ_HEADER_NAMES.has(name)) delete headers[name];
  return headers;
}
