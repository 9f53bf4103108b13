import { BatchingPublisher } from './batching-publisher';
import { MessageTooLargeError } from './errors';
import type { OutgoingMessage } from './producer';
import { RECORD_BATCH_OVERHEAD, recordSize } from './record-size';
import { SafeProducer } from './safe-producer';
import { fixedTopicLimits } from './topic-limits';

/** A SafeProducer whose sends are recorded instead of reaching Kafka (the size rules are the real ones). */
function recordingProducer(limitBytes: number, fail?: (batch: OutgoingMessage[]) => boolean) {
  const producer = new SafeProducer({} as never, { limits: fixedTopicLimits({ t: limitBytes }) });
  const sent: OutgoingMessage[][] = [];
  producer.send = async (_topic, messages) => {
    sent.push(messages);
    await new Promise((r) => setImmediate(r));
    if (fail?.(messages)) throw new Error('request failed');
  };
  return { producer, sent };
}

const message = (id: string, bytes: number): OutgoingMessage => ({ key: id, value: 'x'.repeat(bytes) });

describe('BatchingPublisher', () => {
  it('groups what queues while a request is in flight, within the topic limit in bytes', async () => {
    const { producer, sent } = recordingProducer(1000);
    const publisher = new BatchingPublisher(producer, 't');
    await Promise.all(['a', 'b', 'c', 'd', 'e'].map((id) => publisher.publish(message(id, 400))));
    expect(sent.map((batch) => batch.map((m) => m.key))).toEqual([['a'], ['b', 'c'], ['d', 'e']]);
    for (const batch of sent)
      expect(RECORD_BATCH_OVERHEAD + batch.reduce((s, m) => s + recordSize(m), 0)).toBeLessThanOrEqual(1000);
  });

  it('refuses a message that can never fit before it is queued; the others are unaffected', async () => {
    const { producer, sent } = recordingProducer(1000);
    const publisher = new BatchingPublisher(producer, 't');
    const results = await Promise.allSettled([
      publisher.publish(message('a', 10)),
      publisher.publish(message('big', 2000)),
      publisher.publish(message('c', 10)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(MessageTooLargeError);
    expect(sent.flat().map((m) => m.key)).toEqual(['a', 'c']);
  });

  it('refuses every message of a failed request to its caller', async () => {
    const { producer } = recordingProducer(10_000, (batch) => batch.some((m) => m.key === 'b'));
    const publisher = new BatchingPublisher(producer, 't');
    const results = await Promise.allSettled(['a', 'b', 'c'].map((id) => publisher.publish(message(id, 10))));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected']);
  });

  it('with a linger, sends what arrives within it in one request, and each caller still waits for the ack', async () => {
    const { producer, sent } = recordingProducer(10_000);
    const publisher = new BatchingPublisher(producer, 't', 500, 30);
    const acked: string[] = [];
    const first = publisher.publish(message('a', 10)).then(() => acked.push('a'));
    await new Promise((r) => setTimeout(r, 5));
    const second = publisher.publish(message('b', 10)).then(() => acked.push('b'));
    expect(sent).toEqual([]);
    expect(acked).toEqual([]);
    await Promise.all([first, second]);
    expect(sent.map((batch) => batch.map((m) => m.key))).toEqual([['a', 'b']]);
  });

  it('with a linger, sends a full batch at once', async () => {
    const { producer, sent } = recordingProducer(10_000);
    const publisher = new BatchingPublisher(producer, 't', 2, 60_000);
    await Promise.all(['a', 'b'].map((id) => publisher.publish(message(id, 10))));
    expect(sent.map((batch) => batch.map((m) => m.key))).toEqual([['a', 'b']]);
  });

  it('with a linger, still refuses every message of a failed request to its caller', async () => {
    const { producer } = recordingProducer(10_000, () => true);
    const publisher = new BatchingPublisher(producer, 't', 500, 5);
    const results = await Promise.allSettled(['a', 'b'].map((id) => publisher.publish(message(id, 10))));
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });
});
