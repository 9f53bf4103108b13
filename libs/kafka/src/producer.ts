import type { Kafka } from 'kafkajs';
import { SafeProducer, type SafeProducerOptions } from './safe-producer';

/** Idempotent producer: acks from all in-sync replicas, replaced after any failed request (see SafeProducer). */
export function createIdempotentProducer(kafka: Kafka, options: SafeProducerOptions = {}): SafeProducer {
  return new SafeProducer(kafka, options);
}

/** One Kafka message as we send it: keyed (partition order per key), value, string headers. */
export interface OutgoingMessage {
  /** Text, or the bytes of a key that came from Kafka (dead letters keep it as it was). */
  key: string | Buffer;
  value: string | Buffer;
  headers?: Record<string, string>;
}

/** Sends messages to a topic and resolves once all were stored (acks=all); see SafeProducer.send for errors. */
export async function publish(producer: SafeProducer, topic: string, messages: OutgoingMessage[]): Promise<void> {
  await producer.send(topic, messages);
}
