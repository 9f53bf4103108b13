import type { OutgoingMessage } from './producer';
import { RECORD_BATCH_OVERHEAD } from './record-size';
import type { SafeProducer } from './safe-producer';

interface Pending {
  message: OutgoingMessage;
  size: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for a hot path: callers publish one message each and wait for its ack; while one
 * produce request is in flight, new messages queue and go out together in the next request.
 * With `lingerMs` above 0, a message that finds nothing in flight waits that long for others
 * before the request goes (a full batch goes at once), so a steady trickle of webhooks becomes one
 * produce request per batch rather than one per webhook; at 0 an idle system adds no latency.
 * Lingering changes only when a request starts: every caller still waits for its own ack.
 *
 * A message that can never fit the topic is refused at once (MessageTooLargeError) and never joins
 * a batch; a batch holds at most maxBatch messages and at most the topic's `max.message.bytes` in
 * total, so it fits whichever partitions its messages land on. When a request fails, every message
 * in it is refused to its caller (SafeProducer then replaces the producer).
 */
export class BatchingPublisher {
  private queue: Pending[] = [];
  private inFlight = false;
  private linger?: NodeJS.Timeout;

  constructor(
    private readonly producer: SafeProducer,
    private readonly topic: string,
    private readonly maxBatch = 500,
    private readonly lingerMs = 0,
  ) {}

  /** Resolves once Kafka stored the message; rejects with MessageTooLargeError before queueing, or with the request's error. */
  publish(message: OutgoingMessage): Promise<void> {
    return new Promise((resolve, reject) => {
      let size: number;
      try {
        size = this.producer.check(this.topic, message) - RECORD_BATCH_OVERHEAD;
      } catch (error) {
        return reject(error);
      }
      this.queue.push({ message, size, resolve, reject });
      this.schedule();
    });
  }

  /** Starts a request now, or after the linger, unless one is in flight (its loop takes the queue). */
  private schedule(): void {
    if (this.inFlight) return;
    if (this.lingerMs <= 0 || this.queue.length >= this.maxBatch) {
      clearTimeout(this.linger);
      this.linger = undefined;
      void this.flush();
    } else {
      this.linger ??= setTimeout(() => {
        this.linger = undefined;
        if (!this.inFlight) void this.flush();
      }, this.lingerMs);
    }
  }

  private nextBatch(): Pending[] {
    const limit = this.producer.maxMessageBytes(this.topic);
    let total = RECORD_BATCH_OVERHEAD;
    let count = 0;
    while (count < this.queue.length && count < this.maxBatch) {
      const size = this.queue[count]!.size;
      if (count > 0 && total + size > limit) break;
      total += size;
      count++;
    }
    return this.queue.splice(0, count);
  }

  private async flush(): Promise<void> {
    this.inFlight = true;
    while (this.queue.length > 0) {
      const batch = this.nextBatch();
      try {
        await this.producer.send(
          this.topic,
          batch.map((p) => p.message),
        );
        for (const p of batch) p.resolve();
      } catch (error) {
        for (const p of batch) p.reject(error);
      }
    }
    this.inFlight = false;
  }
}
