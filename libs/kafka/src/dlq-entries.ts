import type { Admin, Kafka } from 'kafkajs';
import { dlqTopicOf } from '@customer-sync/contracts';
import { DlqHeaders, headersToStrings, originalHeaders } from './dead-letter';
import { pendingDlqRanges } from './dlq-cursor';
import { readTopicRanges } from './topic-range-reader';

/** One dead-lettered message with what the DLQ headers say about it. */
export interface DlqEntry {
  /** Where it sits in `<topic>.dlq`: `<partition>:<offset>`, the id the tools use. */
  id: string;
  partition: number;
  offset: number;
  /** The key as text, for display and filters. */
  key: string | null;
  /** The key's bytes as stored, which a replay publishes unchanged (a binary key does not survive text). */
  keyBytes: Buffer | null;
  error: string;
  attempts: number;
  failedAt: string | null;
  source: { topic: string; partition: number; offset: number } | null;
  /** Only the start of the value fitted the DLQ; the original is at `source`. */
  truncated: boolean;
  /** Size of the original value, for a truncated copy. */
  originalBytes: number | null;
  /** The message's own headers, without the DLQ bookkeeping. */
  headers: Record<string, string>;
  value: Buffer | null;
}

/** Which entries a command acts on; every given condition must hold. */
export interface DlqFilter {
  key?: string;
  /** A case-insensitive substring of the error. */
  error?: string;
  /** Entry ids (`<partition>:<offset>`). */
  ids?: string[];
}

/** Whether an entry meets every condition of the filter. */
export const matchesDlqFilter = (entry: DlqEntry, filter: DlqFilter): boolean =>
  (filter.key === undefined || entry.key === filter.key) &&
  (filter.error === undefined || entry.error.toLowerCase().includes(filter.error.toLowerCase())) &&
  (filter.ids === undefined || filter.ids.includes(entry.id));

function toEntry(partition: number, message: Parameters<typeof originalHeaders>[0]): DlqEntry {
  const h = headersToStrings(message.headers);
  const sourcePartition = h[DlqHeaders.sourcePartition];
  return {
    id: `${partition}:${message.offset}`,
    partition,
    offset: Number(message.offset),
    key: message.key?.toString() ?? null,
    keyBytes: message.key ?? null,
    error: h[DlqHeaders.error] ?? '',
    attempts: Number(h[DlqHeaders.attempts] ?? 0),
    failedAt: h[DlqHeaders.failedAt] ?? null,
    source: h[DlqHeaders.sourceTopic]
      ? {
          topic: h[DlqHeaders.sourceTopic]!,
          partition: Number(sourcePartition),
          offset: Number(h[DlqHeaders.sourceOffset]),
        }
      : null,
    truncated: h[DlqHeaders.truncated] === 'true',
    originalBytes: h[DlqHeaders.originalBytes] ? Number(h[DlqHeaders.originalBytes]) : null,
    headers: originalHeaders(message),
    value: message.value,
  };
}

/** The entries waiting in `<topic>.dlq` (after its cursor), oldest first per partition. */
export async function listDlqEntries(
  kafka: Kafka,
  admin: Admin,
  topic: string,
  cursorGroup?: string,
): Promise<DlqEntry[]> {
  const ranges = await pendingDlqRanges(admin, topic, cursorGroup);
  const read = await readTopicRanges(kafka, dlqTopicOf(topic), ranges);
  return read.map((r) => toEntry(r.partition, r.message));
}
