import { CompressionTypes, type Kafka, type Message, type Producer } from 'kafkajs';
import type { Registry } from 'prom-client';
import type { Logger } from '@customer-sync/logger';
import { boundedPartitioner } from './bounded-partitioner';
import { MessageTooLargeError } from './errors';
import type { OutgoingMessage } from './producer';
import { producerMetrics, type ProducerMetrics } from './producer-metrics';
import { batchSizeOf, splitBySize } from './record-size';
import { fixedTopicLimits, type TopicLimits } from './topic-limits';

export interface SafeProducerOptions {
  logger?: Logger;
  /** Each topic's `max.message.bytes` (readTopicLimits); default: Kafka's default for every topic. */
  limits?: TopicLimits;
  registry?: Registry;
}

/**
 * An idempotent producer (acks=all) that never acknowledges a message the broker did not store.
 *
 * kafkajs 2.2.4 assigns sequence numbers per partition before a produce request and, when the
 * request fails, subtracts them again for every partition in it (producer/sendMessages.js), even
 * for partitions the broker had already appended. The next messages on those partitions then
 * reuse sequences the broker saw: it answers "duplicate" with success and stores nothing. So:
 * - sends run one at a time, so no send can take sequences rolled back by another's failure;
 * - after any failed send the producer is discarded and the next send first connects a new one,
 *   which gets a new producer id (InitProducerId) and fresh sequences;
 * - a message whose batch cannot fit the topic's `max.message.bytes` is refused before sending
 *   (MessageTooLargeError), and a send is split into requests whose total fits the limit, so one
 *   message can never fail a request for others.
 * See docs/kafka-delivery.md.
 */
export class SafeProducer {
  private current: Producer | undefined;
  private connecting: Promise<Producer> | undefined;
  private tail: Promise<unknown> = Promise.resolve();
  private closed = false;
  private readonly limits: TopicLimits;
  private readonly metrics: ProducerMetrics | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: SafeProducerOptions = {},
  ) {
    this.limits = options.limits ?? fixedTopicLimits({});
    this.metrics = options.registry ? producerMetrics(options.registry) : undefined;
  }

  /**
   * Makes sure a usable producer is connected: the first one (a failure fails the start), or the
   * replacement of one discarded after a failed send. Rejects while Kafka does not accept a new
   * producer, so it doubles as a readiness check; it does not wait for sends in progress, and
   * concurrent calls share one connection attempt.
   */
  async connect(): Promise<void> {
    await this.producer();
  }

  /** The topic's `max.message.bytes`. */
  maxMessageBytes(topic: string): number {
    return this.limits.maxMessageBytes(topic);
  }

  /** Throws MessageTooLargeError when the message alone cannot fit the topic; returns its batch size otherwise. */
  check(topic: string, message: OutgoingMessage): number {
    const size = batchSizeOf(message);
    const limit = this.limits.maxMessageBytes(topic);
    if (size > limit) {
      this.metrics?.refused.inc({ topic, reason: 'message_too_large' });
      throw new MessageTooLargeError(topic, size, limit);
    }
    return size;
  }

  /**
   * Sends messages with acks=all and resolves once the broker stored all of them. Throws
   * MessageTooLargeError (nothing sent) when one can never fit; any other error means none of them
   * may be counted as stored (some may be: a retry duplicates them, which consumers tolerate).
   */
  async send(topic: string, messages: OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    for (const message of messages) this.check(topic, message);
    await this.serial(async () => {
      for (const group of splitBySize(messages, this.limits.maxMessageBytes(topic))) await this.sendOnce(topic, group);
    });
  }

  /** Waits for the send in progress, then disconnects; later sends fail. */
  async disconnect(): Promise<void> {
    await this.serial(async () => {
      this.closed = true;
      const producer = this.current;
      this.current = undefined;
      await producer?.disconnect();
    });
  }

  private async sendOnce(topic: string, messages: OutgoingMessage[]): Promise<void> {
    const producer = await this.producer();
    try {
      await producer.send({ topic, acks: -1, compression: CompressionTypes.None, messages: messages as Message[] });
    } catch (error) {
      // Its sequence numbers may now lag what the broker stored: never send through it again.
      this.current = undefined;
      this.metrics?.replaced.inc();
      this.options.logger?.warn('produce request failed; the producer will be replaced before the next send', {
        topic,
        messages: messages.length,
        error,
      });
      void producer.disconnect().catch(() => undefined);
      throw error;
    }
  }

  /** The current producer, or the one being connected (one attempt at a time). */
  private producer(): Promise<Producer> {
    if (this.closed) return Promise.reject(new Error('the producer was disconnected'));
    if (this.current) return Promise.resolve(this.current);
    this.connecting ??= this.connectNew().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async connectNew(): Promise<Producer> {
    const producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // murmur2, as the Java client: a key lands on the same partition whichever client wrote it;
      // a key too large to hash quickly is hashed as its digest (see boundedPartitioner).
      createPartitioner: boundedPartitioner,
    });
    try {
      await producer.connect();
    } catch (error) {
      void producer.disconnect().catch(() => undefined);
      throw error;
    }
    if (this.closed) {
      await producer.disconnect();
      throw new Error('the producer was disconnected');
    }
    this.current = producer;
    return producer;
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.tail.then(work, work);
    this.tail = run.catch(() => undefined);
    return run;
  }
}
