import type { Producer } from 'kafkajs';
import type { OutgoingMessage } from './producer';
import { publish } from './producer';

interface Pending {
  message: OutgoingMessage;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for a hot path: callers publish one message each and wait for its ack; while one
 * produce request is in flight, new messages queue and go out together in the next request.
 * No linger timer, so an idle system adds no latency.
 */
export class BatchingPublisher {
  private queue: Pending[] = [];
  private inFlight = false;

  constructor(
    private readonly producer: Producer,
    private readonly topic: string,
    private readonly maxBatch = 500,
  ) {}

  publish(message: OutgoingMessage): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ message, resolve, reject });
      if (!this.inFlight) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.inFlight = true;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        await publish(this.producer, this.topic, batch.map((p) => p.message));
        for (const p of batch) p.resolve();
      } catch (error) {
        for (const p of batch) p.reject(error);
      }
    }
    this.inFlight = false;
  }
}
