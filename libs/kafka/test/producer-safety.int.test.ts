import { readTopic, testKafka, testLogger, TEST_KAFKA_BROKERS, uniqueSuffix } from '@customer-sync/testing';
import { BatchingPublisher, createIdempotentProducer, createKafkaClient, ensureTopics, type OutgoingMessage } from '../src';

const logger = testLogger('producer-safety');
const kafka = createKafkaClient({ brokers: TEST_KAFKA_BROKERS, clientId: 'producer-safety-test', logger });

async function freshTopic(partitions = 6) {
  const topic = `producer-safety.${uniqueSuffix()}`;
  await ensureTopics(kafka, [topic], { partitions, replicationFactor: 1, withDlq: false });
  return topic;
}

type Outcome = { id: string; ok: boolean; error?: unknown };

/** Publishes and records whether the caller was told ok or refused. */
const track = (publisher: BatchingPublisher, outcomes: Outcome[], message: OutgoingMessage) =>
  publisher.publish(message).then(
    () => void outcomes.push({ id: String(message.headers!.id), ok: true }),
    (error: unknown) => void outcomes.push({ id: String(message.headers!.id), ok: false, error }),
  );

const small = (id: string, key = id): OutgoingMessage => ({ key, value: `small ${id}`, headers: { id } });

describe('BatchingPublisher on the idempotent producer, against the real broker', () => {
  it('when an oversized message shares a batch with small ones, every acknowledged message is in the topic', async () => {
    const topic = await freshTopic();
    const producer = createIdempotentProducer(kafka);
    await producer.connect();
    const publisher = new BatchingPublisher(producer, topic);
    const outcomes: Outcome[] = [];
    try {
      // One publish in flight, then the oversized one queued with small ones for other keys: they go out together.
      const first = [track(publisher, outcomes, small('a0', 'key-0'))];
      first.push(track(publisher, outcomes, { key: 'big', value: Buffer.alloc(1_200_000, 120), headers: { id: 'big' } }));
      for (let k = 1; k <= 12; k++) first.push(track(publisher, outcomes, small(`b${k}`, `key-${k}`)));
      await Promise.all(first);
      // Later publishes on every partition, one by one and in concurrent groups.
      for (let k = 0; k < 12; k++) await track(publisher, outcomes, small(`s${k}`, `key-${k}`));
      for (let round = 0; round < 4; round++) {
        await Promise.all(Array.from({ length: 12 }, (_, k) => track(publisher, outcomes, small(`c${round}-${k}`, `key-${k}`))));
      }
    } finally {
      await producer.disconnect();
    }

    const stored = new Set((await readTopic(testKafka(), topic)).map((m) => m.headers?.id?.toString()));
    const ackedButMissing = outcomes.filter((o) => o.ok && !stored.has(o.id)).map((o) => o.id);
    const refusedYetStored = outcomes.filter((o) => !o.ok && o.id === 'big' && stored.has(o.id));
    expect(ackedButMissing).toEqual([]);
    expect(refusedYetStored).toEqual([]);
    expect(outcomes.find((o) => o.id === 'big')?.ok).toBe(false);
    // After the failure the publisher recovers: the last round is fully acknowledged.
    expect(outcomes.filter((o) => o.id.startsWith('c3-')).every((o) => o.ok)).toBe(true);
  });
});
