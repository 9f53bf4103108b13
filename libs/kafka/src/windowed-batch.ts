import type { EachBatchPayload, KafkaMessage } from 'kafkajs';
import type { Logger } from '@customer-sync/logger';
import { runKeyedWindow, type InFlightLimit } from './keyed-window';

/** How often a batch in progress heartbeats and commits the done prefix, in ms. */
export const BATCH_KEEPALIVE_MS = 1000;

/** Messages without a key share one ordering lane; a key is compared as its bytes. */
const orderingKey = (message: KafkaMessage) =>
  message.key === null ? 'null' : `key:${message.key.toString('latin1')}`;

/**
 * Works one partition batch with several messages in flight (bounded by `limit`, shared by the
 * consumer's partitions), strictly in order per message key, and moves the partition's resolved
 * offset only over the contiguous prefix of done messages: a message is done when `runOne` resolved
 * true, i.e. its effect (for the worker, its result acknowledged by Kafka) is durable. So no offset
 * is committed before every earlier message of the partition is done.
 *
 * Commits: kafkajs commits the resolved offsets after each batch (runner.js, `autoCommitOffsets`
 * after `processEachBatch`); a longer batch also commits every BATCH_KEEPALIVE_MS, so a crash
 * repeats at most about that much work. Heartbeats: kafkajs heartbeats only between batches and
 * when asked (tulios/kafkajs#447, #1052), so the batch heartbeats on the same timer. A failed
 * heartbeat or commit (a rebalance, the coordinator gone) starts no further messages: those in flight
 * finish and the batch returns, so the consumer can rejoin before the rebalance times out.
 *
 * A message left undone (`runOne` false: stopping, partition paused) starts nothing after it; its
 * offset and everything after it stay unresolved and are fetched again (messages of other keys that
 * finished meanwhile are repeated then: at least once, idempotent effects).
 */
export async function processWindowedBatch(
  payload: Pick<
    EachBatchPayload,
    'batch' | 'resolveOffset' | 'commitOffsetsIfNecessary' | 'heartbeat' | 'isRunning' | 'isStale'
  >,
  limit: InFlightLimit,
  runOne: (message: KafkaMessage, index: number) => Promise<boolean>,
  logger: Logger,
): Promise<void> {
  const { batch, resolveOffset, commitOffsetsIfNecessary, heartbeat, isRunning, isStale } = payload;
  let lost = false;
  let resolved = -1;
  let committed = -1;
  let committing: Promise<void> | undefined;
  const giveUp = (what: string) => (error: unknown) => {
    if (!lost)
      logger.warn(`${what} failed during a batch; starting no more of its messages`, {
        topic: batch.topic,
        partition: batch.partition,
        error,
      });
    lost = true;
  };
  const keepAlive = setInterval(() => {
    void heartbeat().catch(giveUp('heartbeat'));
    if (committing || resolved <= committed) return;
    const upTo = resolved;
    committing = commitOffsetsIfNecessary()
      .then(() => void (committed = upTo), giveUp('offset commit'))
      .finally(() => (committing = undefined));
  }, BATCH_KEEPALIVE_MS);
  try {
    await runKeyedWindow({
      items: batch.messages,
      keyOf: orderingKey,
      limit,
      run: runOne,
      onPrefix: (index) => {
        resolved = index;
        resolveOffset(batch.messages[index]!.offset);
      },
      stopped: () => lost || !isRunning() || isStale(),
    });
  } finally {
    clearInterval(keepAlive);
    await committing;
  }
}
