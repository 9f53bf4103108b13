import { CompressionTypes, Partitioners, type Kafka, type Message, type Producer } from 'kafkajs';

/** Idempotent producer: acks from all in-sync replicas, no duplicates from its own retries. */
export function createIdempotentProducer(kafka: Kafka): Producer {
  return kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    // murmur2, as the Java client: a key lands on the same partition whichever client wrote it.
    createPartitioner: Partitioners.DefaultPartitioner,
  });
}

export interface OutgoingMessage {
  key: string;
  value: string | Buffer;
  headers?: Record<string, string>;
}

export async function publish(producer: Producer, topic: string, messages: OutgoingMessage[]): Promise<void> {
  if (messages.length === 0) return;
  await producer.send({ topic, acks: -1, compression: CompressionTypes.None, messages: messages as Message[] });
}
