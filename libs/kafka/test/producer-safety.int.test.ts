import { readTopic, testKafka, testLogger, TEST_KAFKA_BROKERS, uniqueSuffix } from '@customer-sync/testing';
import { Registry } from 'prom-client';
import {
  BatchingPublisher,
  createIdempotentProducer,
  createKafkaClient,
  ensureTopics,
  fixedTopicLimits,
  MessageTooLargeError,
  readTopicLimits,
  type OutgoingMessage,
} from '../src';

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

/** One publish in flight, the oversized message queued with small ones for other keys, then later publishes on every partition. */
async function oversizedAmongSmall(publisher: BatchingPublisher): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  const first = [track(publisher, outcomes, small('a0', 'key-0'))];
  first.push(track(publisher, outcomes, { key: 'big', value: Buffer.alloc(1_200_000, 120), headers: { id: 'big' } }));
  for (let k = 1; k <= 12; k++) first.push(track(publisher, outcomes, small(`b${k}`, `key-${k}`)));
  await Promise.all(first);
  for (let k = 0; k < 12; k++) await track(publisher, outcomes, small(`s${k}`, `key-${k}`));
  for (let round = 0; round < 4; round++) {
    await Promise.all(
      Array.from({ length: 12 }, (_, k) => track(publisher, outcomes, small(`c${round}-${k}`, `key-${k}`))),
    );
  }
  return outcomes;
}

async function expectAckedStored(topic: string, outcomes: Outcome[]) {
  const stored = new Set((await readTopic(testKafka(), topic)).map((m) => m.headers?.id?.toString()));
  // Acknowledged ⇒ stored; so whatever is not stored was refused to its caller.
  expect(outcomes.filter((o) => o.ok && !stored.has(o.id)).map((o) => o.id)).toEqual([]);
  expect(stored.has('big')).toBe(false);
  expect(outcomes.find((o) => o.id === 'big')?.ok).toBe(false);
  // The publisher recovers: the last round is fully acknowledged.
  expect(outcomes.filter((o) => o.id.startsWith('c3-') && !o.ok)).toEqual([]);
}

describe('BatchingPublisher on the idempotent producer, against the real broker (6 partitions)', () => {
  it('refuses a message that can never fit before it is batched, and every acknowledged message is in the topic', async () => {
    const topic = await freshTopic();
    const producer = createIdempotentProducer(kafka, { limits: await readTopicLimits(kafka, [topic]) });
    await producer.connect();
    let outcomes: Outcome[];
    try {
      outcomes = await oversizedAmongSmall(new BatchingPublisher(producer, topic));
    } finally {
      await producer.disconnect();
    }
    expect(outcomes.find((o) => o.id === 'big')?.error).toBeInstanceOf(MessageTooLargeError);
    // Refused before batching, so no small message shared its fate.
    expect(outcomes.filter((o) => !o.ok).map((o) => o.id)).toEqual(['big']);
    await expectAckedStored(topic, outcomes);
  });

  it('when the broker fails a request (limit unknown to the producer), refuses its messages and replaces the producer', async () => {
    const topic = await freshTopic();
    const registry = new Registry();
    // Told a limit far above the broker's, the producer sends the oversized message: the broker fails the request.
    const producer = createIdempotentProducer(kafka, { limits: fixedTopicLimits({}, 100_000_000), registry });
    await producer.connect();
    let outcomes: Outcome[];
    try {
      outcomes = await oversizedAmongSmall(new BatchingPublisher(producer, topic));
    } finally {
      await producer.disconnect();
    }
    expect(outcomes.filter((o) => !o.ok).length).toBeGreaterThan(1);
    expect(
      (await registry.getSingleMetric('kafka_producer_replaced_total')!.get()).values[0]!.value,
    ).toBeGreaterThanOrEqual(1);
    await expectAckedStored(topic, outcomes);
  });
});
