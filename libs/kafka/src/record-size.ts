import type { OutgoingMessage } from './producer';

/**
 * Kafka record batch v2 (KIP-98, `DefaultRecordBatch.RECORD_BATCH_OVERHEAD`): base offset 8, length 4,
 * leader epoch 4, magic 1, crc 4, attributes 2, last offset delta 4, first and max timestamp 8 + 8,
 * producer id 8, producer epoch 2, base sequence 4, record count 4. The broker compares the whole
 * batch, this header included, with the topic's `max.message.bytes`.
 */
export const RECORD_BATCH_OVERHEAD = 61;

/**
 * Per-record framing (`DefaultRecord`), taken at its largest so the estimate never falls short:
 * length varint 5, attributes 1, timestamp delta varlong 10, offset delta varint 5, key length
 * varint 5, value length varint 5, header count varint 5.
 */
const RECORD_FRAMING = 5 + 1 + 10 + 5 + 5 + 5 + 5;
/** Per header: name length varint 5 and value length varint 5. */
const HEADER_FRAMING = 10;

const bytes = (value: string | Buffer) => (typeof value === 'string' ? Buffer.byteLength(value) : value.length);

/** Upper bound, in bytes, of one message as a record inside a batch (uncompressed, as we send). */
export function recordSize(message: OutgoingMessage): number {
  let size = RECORD_FRAMING + bytes(message.key) + bytes(message.value);
  for (const [name, value] of Object.entries(message.headers ?? {}))
    size += HEADER_FRAMING + bytes(name) + bytes(value);
  return size;
}

/** Upper bound, in bytes, of a record batch holding just this message: what must fit `max.message.bytes`. */
export const batchSizeOf = (message: OutgoingMessage): number => RECORD_BATCH_OVERHEAD + recordSize(message);

/**
 * Splits messages, in order, into groups whose batch (overhead plus every record) stays within
 * limitBytes, so no partition's batch of one request can exceed it whichever partitions they map to.
 * A message larger than the limit alone still gets a group of its own (callers refuse it first).
 */
export function splitBySize<T extends OutgoingMessage>(messages: T[], limitBytes: number): T[][] {
  const groups: T[][] = [];
  let group: T[] = [];
  let size = RECORD_BATCH_OVERHEAD;
  for (const message of messages) {
    const record = recordSize(message);
    if (group.length > 0 && size + record > limitBytes) {
      groups.push(group);
      group = [];
      size = RECORD_BATCH_OVERHEAD;
    }
    group.push(message);
    size += record;
  }
  if (group.length > 0) groups.push(group);
  return groups;
}
