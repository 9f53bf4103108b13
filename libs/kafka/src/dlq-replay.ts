import type { Kafka } from 'kafkajs';
import { dlqTopicOf } from '@customer-sync/contracts';
import type { Logger } from '@customer-sync/logger';
import { advanceDlqCursor, dlqCursorGroup, pendingDlqRanges } from './dlq-cursor';
import { listDlqEntries, matchesDlqFilter, type DlqEntry, type DlqFilter } from './dlq-entries';
import { cursorAfter } from './dlq-selection';
import { publish } from './producer';
import type { SafeProducer } from './safe-producer';

/** What a replay or purge acts on, and how. */
export interface DlqActionOptions {
  kafka: Kafka;
  /** The topic whose DLQ is handled; replayed messages go back to it. */
  topic: string;
  logger: Logger;
  /** Only entries matching it; all when absent. */
  filter?: DlqFilter;
  /** Reports what would happen and changes nothing. */
  dryRun?: boolean;
  /** The group whose offsets mark what was handled (default `dlq-replay.<topic>`). */
  groupId?: string;
}

/** A replay also needs a producer for the source topic. */
export interface ReplayOptions extends DlqActionOptions {
  producer: SafeProducer;
}

/** What a replay or purge selected. */
export interface DlqActionResult {
  /** Entries acted on (or, in a dry run, that would be). */
  entries: DlqEntry[];
  /** Entries left waiting because they did not match. */
  skipped: number;
}

async function actOnDlq(
  options: DlqActionOptions,
  act: (entries: DlqEntry[]) => Promise<void>,
  afterCursor?: (positions: Map<number, number>) => Promise<void>,
): Promise<DlqActionResult> {
  const groupId = options.groupId ?? dlqCursorGroup(options.topic);
  const admin = options.kafka.admin();
  await admin.connect();
  try {
    const ranges = await pendingDlqRanges(admin, options.topic, groupId);
    const all = await listDlqEntries(options.kafka, admin, options.topic, groupId);
    const chosen = all.filter((e) => matchesDlqFilter(e, options.filter ?? {}));
    if (options.dryRun || chosen.length === 0) return { entries: chosen, skipped: all.length - chosen.length };
    await act(chosen);
    const positions = cursorAfter(chosen, all, new Map(ranges.map((r) => [r.partition, r.to])));
    await advanceDlqCursor(admin, options.topic, positions, groupId);
    await afterCursor?.(positions);
    return { entries: chosen, skipped: all.length - chosen.length };
  } finally {
    await admin.disconnect();
  }
}

/**
 * Publishes the waiting messages of `<topic>.dlq` (all, or those matching the filter) back to
 * `<topic>` with their original key and headers, and moves the DLQ's cursor past them, so running
 * it again replays only newer dead letters. Truncated copies (`dlq-truncated`: only the start of
 * the value fitted the DLQ) are not published — that would send a broken message — but logged with
 * their pointer to the original and passed over like the others.
 */
export async function replayDlq(
  options: ReplayOptions,
): Promise<{ replayed: number; skippedTruncated: number } & DlqActionResult> {
  const result = await actOnDlq(options, async (entries) => {
    for (const e of entries.filter((entry) => entry.truncated)) {
      options.logger.warn('truncated dead letter not replayed; the original is at its source', {
        id: e.id,
        source: e.source,
        originalBytes: e.originalBytes,
      });
    }
    const whole = entries.filter((e) => !e.truncated);
    await publish(
      options.producer,
      options.topic,
      whole.map((e) => ({ key: e.keyBytes ?? '', value: e.value ?? Buffer.alloc(0), headers: e.headers })),
    );
  });
  const skippedTruncated = options.dryRun ? 0 : result.entries.filter((e) => e.truncated).length;
  const replayed = options.dryRun ? 0 : result.entries.length - skippedTruncated;
  options.logger.info('dlq replay finished', {
    topic: options.topic,
    replayed,
    skippedTruncated,
    skipped: result.skipped,
    dryRun: !!options.dryRun,
  });
  return { replayed, skippedTruncated, ...result };
}

/**
 * Drops waiting messages of `<topic>.dlq` (all, or those matching the filter): the cursor moves
 * past them, and records before the cursor are deleted from the broker.
 */
export async function purgeDlq(options: DlqActionOptions): Promise<{ purged: number } & DlqActionResult> {
  const result = await actOnDlq(
    options,
    async () => undefined,
    async (positions) => {
      const admin = options.kafka.admin();
      await admin.connect();
      try {
        // deleteTopicRecords finds partition leaders only for topics whose metadata the client holds.
        await admin.fetchTopicMetadata({ topics: [dlqTopicOf(options.topic)] });
        await admin.deleteTopicRecords({
          topic: dlqTopicOf(options.topic),
          partitions: [...positions].map(([partition, offset]) => ({ partition, offset: String(offset) })),
        });
      } finally {
        await admin.disconnect();
      }
    },
  );
  const purged = options.dryRun ? 0 : result.entries.length;
  options.logger.info('dlq purge finished', {
    topic: options.topic,
    purged,
    skipped: result.skipped,
    dryRun: !!options.dryRun,
  });
  return { purged, ...result };
}
