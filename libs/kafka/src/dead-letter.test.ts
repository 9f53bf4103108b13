import type { KafkaMessage } from 'kafkajs';
import { DlqHeaders, sendToDlq, TRUNCATED_KEY_BYTES, type DeadLetter } from './dead-letter';
import type { OutgoingMessage } from './producer';
import { batchSizeOf } from './record-size';
import type { SafeProducer } from './safe-producer';

/** A producer that stores what fits limitBytes, as the broker would, and refuses the rest. */
function fakeProducer(limitBytes: number) {
  const sent: OutgoingMessage[] = [];
  const producer = {
    maxMessageBytes: () => limitBytes,
    send: async (_topic: string, messages: OutgoingMessage[]) => {
      for (const m of messages)
        if (batchSizeOf(m) > limitBytes) throw Object.assign(new Error('too large'), { type: 'MESSAGE_TOO_LARGE' });
      sent.push(...messages);
    },
  };
  return { producer: producer as unknown as SafeProducer, sent };
}

const letter = (key: Buffer, value: Buffer, reason = 'PermanentError: rejected'): DeadLetter => ({
  topic: 't',
  partition: 3,
  reason,
  attempts: 1,
  message: { key, value, offset: '42', headers: {}, timestamp: '0', attributes: 0 } as KafkaMessage,
});

describe('sendToDlq', () => {
  it('keeps a binary key byte for byte in a whole copy', async () => {
    const { producer, sent } = fakeProducer(1_048_588);
    const key = Buffer.alloc(400_000, 0xff);
    expect(await sendToDlq(producer, letter(key, Buffer.from('v')))).toEqual({ truncated: false });
    expect(Buffer.compare(sent[0]!.key as Buffer, key)).toBe(0);
  });

  it('cuts the key of a truncated copy and records its size and SHA-256', async () => {
    const { producer, sent } = fakeProducer(10_000);
    expect(await sendToDlq(producer, letter(Buffer.alloc(20_000, 0x61), Buffer.alloc(20_000, 0x62)))).toEqual({
      truncated: true,
    });
    expect((sent[0]!.key as Buffer).length).toBe(TRUNCATED_KEY_BYTES);
    expect(sent[0]!.headers?.[DlqHeaders.originalKeyBytes]).toBe('20000');
    expect(sent[0]!.headers?.[DlqHeaders.originalKeySha256]).toMatch(/^[0-9a-f]{64}$/);
    expect(batchSizeOf(sent[0]!)).toBeLessThanOrEqual(10_000);
  });

  it('stores a pointer-only copy when even the truncated one cannot fit', async () => {
    const { producer, sent } = fakeProducer(1_200);
    expect(
      await sendToDlq(producer, letter(Buffer.alloc(5_000), Buffer.alloc(5_000), `E: ${'r'.repeat(2000)}`)),
    ).toEqual({ truncated: true });
    expect(sent[0]!.value).toHaveLength(0);
    expect(sent[0]!.headers?.[DlqHeaders.sourceOffset]).toBe('42');
    expect(sent[0]!.headers?.[DlqHeaders.truncated]).toBe('true');
  });
});
