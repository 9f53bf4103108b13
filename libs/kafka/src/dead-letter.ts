import { createHash } from 'node:crypto';
import type { KafkaMessage } from 'kafkajs';
import { dlqTopicOf } from '@customer-sync/contracts';
import { isTooLarge } from './errors';
import { publish, type OutgoingMessage } from './producer';
import { RECORD_BATCH_OVERHEAD, batchSizeOf, recordSize } from './record-size';
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
  /** Size in bytes of the original key, set on truncated copies. */
  originalKeyBytes: 'dlq-original-key-bytes',
  /** Hex SHA-256 of the original key, set on truncated copies (their key keeps only its start). */
  originalKeySha256: 'dlq-original-key-sha256',
} as const;

const DLQ_HEADER_NAMES = new Set<string>(Object.values(DlqHeaders));
/** Longest error text kept in a DLQ header, in characters. */
const MAX_REASON_CHARS = 2000;
/** Longest error text of a pointer-only copy, the last resort. */
const POINTER_REASON_CHARS = 200;
/** Longest key of a truncated copy, in bytes: as long as any id we key by. */
export const TRUNCATED_KEY_BYTES = 255;

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

function bookkeeping(letter: DeadLetter, reasonChars = MAX_REASON_CHARS): Record<string, string> {
  return {
    [DlqHeaders.error]: letter.reason.slice(0, reasonChars),
    [DlqHeaders.sourceTopic]: letter.topic,
    [DlqHeaders.sourcePartition]: String(letter.partition),
    [DlqHeaders.sourceOffset]: letter.message.offset,
    [DlqHeaders.attempts]: String(letter.attempts),
    [DlqHeaders.failedAt]: new Date().toISOString(),
  };
}

/** The original key, as bytes: never re-encoded (a binary key decoded as UTF-8 can triple in size). */
const keyOf = (letter: DeadLetter): Buffer => letter.message.key ?? Buffer.alloc(0);

/** What a truncated or pointer-only copy says about the original it stands for. */
function originalSizes(letter: DeadLetter): Record<string, string> {
  const key = keyOf(letter);
  return {
    [DlqHeaders.truncated]: 'true',
    [DlqHeaders.originalBytes]: String(letter.message.value?.length ?? 0),
    [DlqHeaders.originalKeyBytes]: String(key.length),
    [DlqHeaders.originalKeySha256]: createHash('sha256').update(key).digest('hex'),
  };
}

/** The whole message with its original headers and the DLQ bookkeeping. */
export function wholeCopy(letter: DeadLetter): OutgoingMessage {
  return {
    key: keyOf(letter),
    value: letter.message.value ?? Buffer.alloc(0),
    headers: { ...headersToStrings(letter.message.headers), ...bookkeeping(letter) },
  };
}

/**
 * The copy that fits when the whole one does not: the DLQ bookkeeping (the pointer to the original:
 * source topic, partition, offset), the original sizes and key digest, the first
 * TRUNCATED_KEY_BYTES of the key and as much of the start of the value as the DLQ's limit leaves
 * room for. The original headers are dropped: they may be what is too large.
 */
export function truncatedCopy(letter: DeadLetter, limitBytes: number): OutgoingMessage {
  const value = letter.message.value ?? Buffer.alloc(0);
  const shell: OutgoingMessage = {
    key: keyOf(letter).subarray(0, TRUNCATED_KEY_BYTES),
    value: Buffer.alloc(0),
    headers: { ...bookkeeping(letter), ...originalSizes(letter) },
  };
  const room = Math.max(0, limitBytes - RECORD_BATCH_OVERHEAD - recordSize(shell));
  return { ...shell, value: value.subarray(0, Math.min(room, value.length)) };
}

/** The last resort, which fits any sane limit: no key, no value, the pointer and a short reason. */
export function pointerCopy(letter: DeadLetter): OutgoingMessage {
  return {
    key: Buffer.alloc(0),
    value: Buffer.alloc(0),
    headers: { ...bookkeeping(letter, POINTER_REASON_CHARS), ...originalSizes(letter) },
  };
}

/**
 * Copies a message that cannot be processed to `<topic>.dlq` with why, where from and how often it
 * failed: whole if it fits the DLQ's `max.message.bytes`, else truncated (see truncatedCopy), else
 * pointer-only, so a dead letter never blocks its partition. A copy is skipped when our estimate
 * says it cannot fit or the broker refuses its size. Other errors (Kafka unavailable) are thrown:
 * the caller retries without committing. The producer's partitioner hashes a huge key's digest
 * (boundedPartitioner), so even a whole copy with a 1 MB key is placed at once.
 */
export async function sendToDlq(producer: SafeProducer, letter: DeadLetter): Promise<{ truncated: boolean }> {
  const dlq = dlqTopicOf(letter.topic);
  const limit = producer.maxMessageBytes(dlq);
  const copies = [wholeCopy(letter), truncatedCopy(letter, limit), pointerCopy(letter)];
  for (const [index, copy] of copies.entries()) {
    const last = index === copies.length - 1;
    if (!last && batchSizeOf(copy) > limit) continue;
    try {
      await publish(producer, dlq, [copy]);
      return { truncated: index > 0 };
    } catch (error) {
      if (last || !isTooLarge(error)) throw error;
    }
  }
  throw new Error('unreachable: the last copy either resolves or throws');
}

/** The original headers of a dead-lettered message, without the DLQ bookkeeping. */
export function originalHeaders(message: KafkaMessage): Record<string, string> {
  const headers = headersToStrings(message.headers);
  for (const name of Object.keys(headers)) if (DLQ_HEADER_NAMES.has(name)) delete headers[name];
  return headers;
}
