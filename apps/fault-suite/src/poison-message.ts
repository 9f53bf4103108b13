import type { Kafka, Producer } from 'kafkajs';

/** The key of the one message the suite poisons on purpose; the DLQ check expects it and nothing else. */
export const poisonKey = (seed: number) => `fault-suite-poison-${seed}`;

/** The broker's default `max.message.bytes` (a record batch), which the suite's topics keep. */
const BROKER_MESSAGE_LIMIT = 1_048_588;

const poisonValue = (seed: number, bytes: number) => {
  const head = `{"fault-suite":"poison","seed":${seed},"not":"an envelope","padding":"`;
  return head + 'x'.repeat(Math.max(0, bytes - head.length));
};

/** One message, acks from all replicas, through the plain kafkajs producer. */
const sendOne = (producer: Producer, topic: string, key: string, value: string) =>
  producer.send({ topic, acks: -1, messages: [{ key, value }] });

const isTooLarge = (error: unknown) =>
  /too large|MESSAGE_TOO_LARGE/i.test(`${(error as { type?: string }).type ?? ''} ${String(error)}`);

/** Sends the largest poison value the topic accepts, stepping down from the broker's limit. */
async function publishLargest(producer: Producer, topic: string, seed: number): Promise<number> {
  for (let bytes = BROKER_MESSAGE_LIMIT - 100; ; bytes -= 50) {
    try {
      await sendOne(producer, topic, poisonKey(seed), poisonValue(seed, bytes));
      return bytes;
    } catch (error) {
      if (!isTooLarge(error) || bytes < BROKER_MESSAGE_LIMIT - 2000) throw error;
    }
  }
}

/**
 * Publishes a message that can never be processed (not an envelope of any schema) to stripe.events,
 * as a misbehaving producer would: db-writer must dead-letter it at once and move on. With `large`,
 * it is as large as the topic accepts, so its DLQ copy (the same value plus the dlq-* headers) does
 * not fit, the case issue 8 names. A plain producer (not idempotent), so the stepping down cannot
 * disturb sequence numbers; retried while the broker is away (the fault may meet a broker restart).
 * Resolves the value's size in bytes.
 */
export async function publishPoisonMessage(kafka: Kafka, topic: string, seed: number, large: boolean): Promise<number> {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  const deadline = Date.now() + 60_000;
  try {
    for (;;) {
      try {
        await producer.connect();
        if (large) return await publishLargest(producer, topic, seed);
        const value = poisonValue(seed, 0);
        await sendOne(producer, topic, poisonKey(seed), value);
        return value.length;
      } catch (error) {
        if (Date.now() > deadline || isTooLarge(error)) throw error;
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  } finally {
    await producer.disconnect().catch(() => undefined);
  }
}
