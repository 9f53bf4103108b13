import { backoffDelay, sleep } from '@customer-sync/service-core';
import type { ConsumerMetrics } from './consumer-metrics';
import type { ConsumerRunnerOptions, MessageMeta } from './consumer-runner';
import { sendToDlq, type DeadLetter } from './dead-letter';

/**
 * Stores a dead letter, retrying with backoff (heartbeating between attempts) for as long as the
 * consumer runs: the source offset is committed only once the DLQ holds the copy, and a DLQ that is
 * unavailable never crashes the consumer. Returns true once stored, false when the consumer stops
 * or loses the partition first (the message stays uncommitted for the partition's next owner).
 */
export async function deadLetterUntilStored(
  letter: DeadLetter,
  meta: MessageMeta,
  options: Pick<ConsumerRunnerOptions, 'producer' | 'logger' | 'backoff'>,
  control: { heartbeat: () => Promise<void>; isRunning: () => boolean },
  metrics?: ConsumerMetrics,
): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    try {
      const { truncated } = await sendToDlq(options.producer, letter);
      options.logger.warn('message sent to dead-letter topic', {
        ...meta,
        reason: letter.reason,
        attempts: letter.attempts,
        truncated,
      });
      metrics?.messages.inc({ topic: meta.topic, outcome: truncated ? 'dead_lettered_truncated' : 'dead_lettered' });
      return true;
    } catch (error) {
      metrics?.dlqFailures.inc({ topic: meta.topic });
      if (!control.isRunning()) return false;
      const delay = backoffDelay(attempt, options.backoff);
      options.logger.error('could not store a dead letter; retrying without committing', {
        ...meta,
        attempt,
        delayMs: delay,
        error,
      });
      await sleep(delay);
      // A failed heartbeat means a rebalance: leave the message uncommitted for the partition's owner.
      if (
        !(await control.heartbeat().then(
          () => true,
          () => false,
        ))
      )
        return false;
    }
  }
}
