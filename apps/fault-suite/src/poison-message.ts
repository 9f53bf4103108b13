import type { Kafka } from 'kafkajs';
import { createIdempotentProducer, publish } from '@customer-sync/kafka';

/** The key of the one message the suite poisons on purpose; the DLQ check expects it and nothing else. */
export const poisonKey = (seed: number) => `fault-suite-poison-${seed}`;

/**
 * Publishes a message that can never be processed (not an envelope of any schema) to stripe.events,
 * as a misbehaving producer would: db-writer must dead-letter it at once and move on. Retried while
 * the broker is away (the fault may coincide with a broker restart).
 */
export async function publishPoisonMessage(kafka: Kafka, topic: string, seed: number): Promise<void> {
  const producer = createIdempotentProducer(kafka);
  const deadline = Date.now() + 60_000;
  try {
    for (;;) {
      try {
        await producer.connect();
        await publish(producer, topic, [{ key: poisonKey(seed), value: `{"fault-suite":"poison","seed":${seed},"not":"an envelope"` }]);
        return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  } finally {
    await producer.disconnect().catch(() => undefined);
  }
}
