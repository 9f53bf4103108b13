import type { OutgoingMessage } from './producer';
import { batchSizeOf, RECORD_BATCH_OVERHEAD, recordSize, splitBySize } from './record-size';

// kafkajs's own encoders: the bytes it really sends for a record batch (v2).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0') as {
  RecordBatch: (o: object) => Promise<{ buffer: Buffer }>;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Record = require('kafkajs/src/protocol/recordBatch/record/v0') as (o: object) => unknown;

async function encodedBatchSize(messages: OutgoingMessage[]): Promise<number> {
  const records = messages.map((m, i) =>
    Record({
      offsetDelta: i,
      timestampDelta: 1000 * i,
      key: Buffer.from(m.key),
      value: Buffer.from(m.value),
      headers: m.headers ?? {},
    }),
  );
  return (await RecordBatch({ records })).buffer.length;
}

const message = (valueBytes: number, headers: Record<string, string> = {}): OutgoingMessage => ({
  key: 'cus_123',
  value: 'é'.repeat(valueBytes / 2),
  headers,
});

describe('batchSizeOf', () => {
  it.each([
    ['an empty message', { key: '', value: '' }],
    ['a small one with headers', message(200, { 'stripe-event-id': 'evt_1', 'stripe-event-type': 'customer.updated' })],
    ['one near 1 MiB with multi-byte characters', message(1_048_000, { 'dlq-error': 'x'.repeat(2000) })],
  ])(
    'never falls short of what kafkajs encodes, and is over by at most 32 bytes plus 10 per header (%s)',
    async (_, m) => {
      const actual = await encodedBatchSize([m]);
      expect(batchSizeOf(m)).toBeGreaterThanOrEqual(actual);
      expect(batchSizeOf(m) - actual).toBeLessThanOrEqual(32 + 10 * Object.keys(m.headers ?? {}).length);
    },
  );

  it('bounds a batch of many records too', async () => {
    const messages = Array.from({ length: 300 }, () => message(1000, { a: 'b' }));
    const estimate = RECORD_BATCH_OVERHEAD + messages.reduce((sum, m) => sum + recordSize(m), 0);
    expect(estimate).toBeGreaterThanOrEqual(await encodedBatchSize(messages));
  });
});

describe('splitBySize', () => {
  it('keeps order and puts no more than the limit in a group', () => {
    const messages = Array.from({ length: 10 }, (_, i) => ({ key: String(i), value: 'x'.repeat(300) }));
    const groups = splitBySize(messages, 1000);
    expect(groups.flat()).toEqual(messages);
    for (const group of groups)
      expect(RECORD_BATCH_OVERHEAD + group.reduce((s, m) => s + recordSize(m), 0)).toBeLessThanOrEqual(1000);
  });

  it('gives a message larger than the limit a group of its own', () => {
    const groups = splitBySize(
      [
        { key: 'a', value: 'x' },
        { key: 'b', value: 'x'.repeat(2000) },
        { key: 'c', value: 'x' },
      ],
      1000,
    );
    expect(groups.map((g) => g.map((m) => m.key))).toEqual([['a'], ['b'], ['c']]);
  });
});
