import pg from 'pg';
import type { Registry } from 'prom-client';
import {
  claimOutboxBatch,
  markOutboxPublished,
  OUTBOX_CHANNEL,
  type OutboxRow,
} from '@customer-sync/customer-api-data';
import type { Db } from '@customer-sync/db';
import { MessageTooLargeError, publish, type OutgoingMessage, type SafeProducer } from '@customer-sync/kafka';
import type { Logger } from '@customer-sync/logger';
import { backoffDelay } from '@customer-sync/service-core';
import { outboxMetrics, type OutboxMetrics } from './outbox-metrics';
import { refuseOversizedEntry } from './outbox-refusal';

export interface OutboxRelayOptions {
  db: Db;
  /** Used for LISTEN; the relay keeps one connection of its own. */
  databaseUrl: string;
  producer: SafeProducer;
  logger: Logger;
  registry: Registry;
  batchSize: number;
  /** Fallback poll when no notification arrives (missed NOTIFY, another writer). */
  pollMs: number;
}

function groupByTopic(rows: OutboxRow[]): Map<string, OutboxRow[]> {
  const byTopic = new Map<string, OutboxRow[]>();
  for (const row of rows) {
    const group = byTopic.get(row.topic);
    if (group) group.push(row);
    else byTopic.set(row.topic, [row]);
  }
  return byTopic;
}

/**
 * Publishes committed outbox rows to Kafka in id order and marks them sent. Wakes when signalled
 * (see createOutboxSignal), on a NOTIFY from another replica, or on a short poll. While Kafka fails
 * it backs off and ignores wake-ups. A crash between publish and mark re-sends the batch: the
 * command keeps its id, so the worker's idempotency key makes the duplicate harmless.
 */
export class OutboxRelay {
  private stopped = false;
  private wakeUp: (() => void) | undefined;
  /** Set by a wake that came while publishing, so the next sleep is skipped. */
  private woken = false;
  /** Kafka is failing: only the backoff (or stop) ends the wait. */
  private backingOff = false;
  private loop: Promise<void> | undefined;
  private listener: pg.Client | undefined;
  private readonly metrics: OutboxMetrics;

  constructor(private readonly options: OutboxRelayOptions) {
    this.metrics = outboxMetrics(options.registry, options.db);
  }

  async start(): Promise<void> {
    await this.listen();
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeUp?.();
    await this.loop;
    await this.listener?.end().catch(() => undefined);
  }

  wake(): void {
    if (this.backingOff) return;
    this.woken = true;
    this.wakeUp?.();
  }

  /** Publishes one batch; returns how many rows went out, or undefined when another relay holds the lock. */
  async publishBatch(): Promise<number | undefined> {
    return this.options.db.transaction(async (trx) => {
      const rows = await claimOutboxBatch(trx, this.options.batchSize);
      if (!rows || rows.length === 0) return rows ? 0 : undefined;
      for (const [topic, group] of groupByTopic(rows)) {
        const messages: OutgoingMessage[] = [];
        for (const row of group) {
          const message = { key: row.message_key, value: JSON.stringify(row.message) };
          try {
            this.options.producer.check(topic, message);
            messages.push(message);
          } catch (error) {
            if (!(error instanceof MessageTooLargeError)) throw error;
            await refuseOversizedEntry(trx, row, error, this.options.logger);
            this.metrics.refused.inc();
          }
        }
        // Any failure leaves every row of the batch unsent (the transaction rolls back): the next round re-sends them.
        await publish(this.options.producer, topic, messages);
      }
      await markOutboxPublished(
        trx,
        rows.map((r) => r.id),
      );
      this.metrics.published.inc(rows.length);
      return rows.length;
    });
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      let sent: number | undefined;
      try {
        sent = await this.publishBatch();
        failures = 0;
      } catch (error) {
        failures++;
        this.options.logger.warn('outbox publish failed; rows stay queued', { error, failures });
        this.backingOff = true;
        await this.sleep(backoffDelay(failures, { baseMs: 250, maxMs: 10_000 }, () => 0.5 + Math.random() / 2));
        this.backingOff = false;
        continue;
      }
      if (sent !== this.options.batchSize) await this.sleep(this.options.pollMs);
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.woken = false;
        // Left in place, this sleep's callback would swallow the next wake (one that comes while
        // publishing) and that commit would wait for the poll.
        if (this.wakeUp === done) this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.options.databaseUrl });
    client.on('notification', () => this.wake());
    client.on('error', (error) => {
      this.options.logger.warn('outbox listener lost its connection; polling until it is back', { error });
      this.listener = undefined;
      if (!this.stopped) setTimeout(() => void this.listen().catch(() => undefined), 1000);
    });
    await client.connect();
    await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
    this.listener = client;
  }
}
