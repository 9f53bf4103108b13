import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type { Registry } from 'prom-client';
import type { z } from 'zod';
import { parseEnvelope } from '@customer-sync/contracts';
import { type Logger, withCorrelationId } from '@customer-sync/logger';
import { backoffDelay, sleep, type BackoffOptions } from '@customer-sync/service-core';
import { startBrokerMonitor } from './broker-monitor';
import { consumerMetrics, type ConsumerMetrics } from './consumer-metrics';
import { ConsumptionPaused } from './consumption-paused';
import { deadLetterUntilStored } from './dead-letter-retry';
import { isOutage, isPermanent } from './errors';
import { InFlightLimit } from './keyed-window';
import { describeKey } from './message-key';
import type { SafeProducer } from './safe-producer';
import { processWindowedBatch } from './windowed-batch';

export interface MessageMeta {
  topic: string;
  partition: number;
  offset: string;
  /** The key as text (describeKey: whole up to 255 bytes, else its start and size). */
  key: string | null;
}

export interface Parsed<T> {
  value: T;
  meta: MessageMeta;
}

export interface TopicHandler<S extends z.ZodType = z.ZodType> {
  schema: S;
  /** Applies one message; throw PermanentError for what no retry can fix. */
  handle(value: z.infer<S>, meta: MessageMeta): Promise<void>;
  /** Optionally applies a whole partition batch at once; any failure falls back to one by one. */
  handleMany?(messages: Parsed<z.infer<S>>[]): Promise<void>;
}

export interface ConsumerRunnerOptions {
  kafka: Kafka;
  groupId: string;
  handlers: Record<string, TopicHandler>;
  /** Producer used for the dead-letter topics. */
  producer: SafeProducer;
  logger: Logger;
  /** Handler attempts before a message is dead-lettered; outages (isOutage) are retried without this bound. */
  maxAttempts: number;
  backoff: BackoffOptions;
  partitionsConsumedConcurrently?: number;
  /**
   * Messages handled at once across all of the consumer's partitions, in order per message key
   * (see processWindowedBatch); offsets advance over the contiguous prefix of handled messages and
   * are committed once per batch (and every second of a long one). Unset: one message at a time per
   * partition, each committed as it is handled.
   */
  maxInFlight?: number;
  fromBeginning?: boolean;
  /** How long a missing member keeps its partitions (broker minimum 6 s). */
  sessionTimeoutMs?: number;
  registry?: Registry;
  /** Called when the consume loop dies for good; services exit so the orchestrator restarts them. */
  onFatal?: (error: unknown) => void;
  /** How often lag and DLQ depth are read from the broker (with a registry). */
  lagIntervalMs?: number;
}

export interface ConsumerHandle {
  consumer: Consumer;
  /** True from the group join until the consumer stops or crashes: what readiness reports. */
  isJoined(): boolean;
  /** Leaves the group (kafkajs sends LeaveGroup), so a successor gets the partitions at once. */
  stop(): Promise<void>;
}

function parse(handler: TopicHandler, message: KafkaMessage, meta: MessageMeta): Parsed<unknown> | Error {
  try {
    return { value: parseEnvelope(handler.schema, message.value), meta };
  } catch (error) {
    return error as Error;
  }
}

const correlationOf = (value: unknown, meta: MessageMeta) =>
  (value as { correlationId?: string } | undefined)?.correlationId ?? `${meta.topic}/${meta.partition}/${meta.offset}`;

/**
 * Runs a consumer group whose offsets are committed only after the handler's effect is durable.
 * Transient failures are retried in place with backoff (keeping partition order); parse failures,
 * permanent errors and exhausted retries go to `<topic>.dlq` and the partition moves on.
 */
export async function startConsumer(options: ConsumerRunnerOptions): Promise<ConsumerHandle> {
  const { logger } = options;
  const metrics = options.registry ? consumerMetrics(options.registry) : undefined;
  const sessionTimeout = options.sessionTimeoutMs ?? 8_000;
  const consumer = options.kafka.consumer({
    groupId: options.groupId,
    allowAutoTopicCreation: false,
    sessionTimeout,
    heartbeatInterval: heartbeatIntervalFor(sessionTimeout),
    // Short long-polls keep shutdown quick: disconnect waits for the fetch in flight.
    maxWaitTimeInMs: 1000,
  });
  let joined = false;
  consumer.on(consumer.events.GROUP_JOIN, () => (joined = true));
  for (const event of [consumer.events.CRASH, consumer.events.STOP, consumer.events.DISCONNECT])
    consumer.on(event, () => (joined = false));
  await consumer.connect();
  for (const topic of Object.keys(options.handlers)) {
    await consumer.subscribe({ topic, fromBeginning: options.fromBeginning ?? true });
  }
  consumer.on(consumer.events.CRASH, (event) => {
    if (!event.payload.restart) {
      logger.error('consumer crashed and will not restart', { groupId: options.groupId, error: event.payload.error });
      options.onFatal?.(event.payload.error);
    }
  });

  const limit = options.maxInFlight === undefined ? undefined : new InFlightLimit(options.maxInFlight);
  await consumer.run({
    autoCommit: true,
    autoCommitThreshold: 1,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 1,
    eachBatch: (payload) => processBatch(payload, options, metrics, limit),
  });
  const monitor =
    options.registry &&
    startBrokerMonitor({
      kafka: options.kafka,
      groupId: options.groupId,
      topics: Object.keys(options.handlers),
      registry: options.registry,
      logger,
      intervalMs: options.lagIntervalMs,
    });
  return {
    consumer,
    isJoined: () => joined,
    async stop() {
      await monitor?.stop();
      await consumer.disconnect();
    },
  };
}

/** A third of the session timeout, as kafkajs recommends: two heartbeats may be lost before the session ends. */
export const heartbeatIntervalFor = (sessionTimeoutMs: number) => Math.floor(sessionTimeoutMs / 3);

/**
 * kafkajs heartbeats only from its consume loop (tulios/kafkajs#447, #1052), so a handler slower than
 * the session timeout would cost the partitions. While a handler runs (its own time is bounded by its
 * Stripe and database timeouts) this keeps the session alive; kafkajs throttles the calls to its
 * heartbeat interval, and a failure (a rebalance) is left to isStale() at the next message.
 */
async function withHeartbeat<T>(heartbeat: () => Promise<void>, work: () => Promise<T>): Promise<T> {
  const timer = setInterval(() => void heartbeat().catch(() => undefined), 1000);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

async function processBatch(
  payload: EachBatchPayload,
  options: ConsumerRunnerOptions,
  metrics?: ConsumerMetrics,
  limit?: InFlightLimit,
) {
  const { batch, resolveOffset, commitOffsetsIfNecessary, heartbeat, isRunning, isStale, pause } = payload;
  const handler = options.handlers[batch.topic];
  if (!handler) throw new Error(`no handler for topic ${batch.topic}`);
  const metaOf = (m: KafkaMessage): MessageMeta => ({
    topic: batch.topic,
    partition: batch.partition,
    offset: m.offset,
    key: describeKey(m.key),
  });
  const parsed = batch.messages.map((m) => parse(handler, m, metaOf(m)));

  if (handler.handleMany && parsed.length > 1 && parsed.every((p) => !(p instanceof Error))) {
    try {
      await withHeartbeat(heartbeat, () => handler.handleMany!(parsed as Parsed<unknown>[]));
      resolveOffset(batch.lastOffset());
      await commitOffsetsIfNecessary();
      metrics?.messages.inc({ topic: batch.topic, outcome: 'processed' }, parsed.length);
      return;
    } catch (error) {
      options.logger.warn('batch apply failed; applying one by one', { topic: batch.topic, error });
    }
  }

  const control = { heartbeat, isRunning, pause };
  if (limit) {
    return processWindowedBatch(
      payload,
      limit,
      (message, index) => {
        const item = parsed[index]!;
        const meta = metaOf(message);
        return withCorrelationId(correlationOf(item instanceof Error ? undefined : item.value, meta), () =>
          processOne(handler, item, message, meta, options, control, metrics),
        );
      },
      options.logger,
    );
  }

  for (const [index, message] of batch.messages.entries()) {
    if (!isRunning() || isStale()) return;
    const item = parsed[index]!;
    const meta = metaOf(message);
    const done = await withCorrelationId(correlationOf(item instanceof Error ? undefined : item.value, meta), () =>
      withHeartbeat(heartbeat, () => processOne(handler, item, message, meta, options, control, metrics)),
    );
    // A message abandoned because the consumer is stopping (or paused) stays uncommitted: its next owner,
    // or this consumer once resumed, gets it again.
    if (!done) return;
    resolveOffset(message.offset);
    await commitOffsetsIfNecessary();
  }
}

async function processOne(
  handler: TopicHandler,
  item: Parsed<unknown> | Error,
  message: KafkaMessage,
  meta: MessageMeta,
  options: ConsumerRunnerOptions,
  control: { heartbeat: () => Promise<void>; isRunning: () => boolean; pause: () => () => void },
  metrics?: ConsumerMetrics,
): Promise<boolean> {
  const deadLetter = (reason: string, attempts: number) =>
    deadLetterUntilStored(
      { topic: meta.topic, partition: meta.partition, message, reason, attempts },
      meta,
      options,
      control,
      metrics,
    );
  if (item instanceof Error) return deadLetter(item.message, 0);

  for (let attempt = 1; ; attempt++) {
    try {
      await handler.handle(item.value, meta);
      metrics?.messages.inc({ topic: meta.topic, outcome: 'processed' });
      return true;
    } catch (error) {
      if (error instanceof ConsumptionPaused) return pausePartition(error, meta, control.pause, options.logger);
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      // An outage (database or broker down) is never the message's fault: retried for as long as we run.
      if (isPermanent(error) || (attempt >= options.maxAttempts && !isOutage(error)))
        return deadLetter(reason, attempt);
      if (!control.isRunning()) return false;
      const delay = backoffDelay(attempt, options.backoff);
      options.logger.warn('handler failed; retrying', { ...meta, attempt, delayMs: delay, reason });
      metrics?.retries.inc({ topic: meta.topic });
      await sleep(delay);
      await control.heartbeat();
    }
  }
}

/** Stops fetching the partition until the pause's `until` resolves; kafkajs then fetches again from the unresolved message. */
function pausePartition(paused: ConsumptionPaused, meta: MessageMeta, pause: () => () => void, logger: Logger): false {
  const resume = pause();
  logger.warn('partition paused', { ...meta, reason: paused.message });
  void paused.until.then(() => {
    logger.info('partition resumed', { topic: meta.topic, partition: meta.partition });
    resume();
  });
  return false;
}
