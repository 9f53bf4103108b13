import type { Admin } from 'kafkajs';
import { dlqTopicOf } from '@customer-sync/contracts';
import { committedOffsets, topicWatermarks } from './broker-offsets';

/**
 * The consumer group whose committed offsets mark how far a DLQ has been handled (replayed or
 * purged). No consumer ever joins it: the tools read ranges and move it with `setOffsets`.
 */
export const dlqCursorGroup = (topic: string) => `dlq-replay.${topic}`;

/** The part of one DLQ partition still waiting: from the cursor (or the oldest retained) to the end. */
export interface PendingRange {
  partition: number;
  from: number;
  to: number;
}

/** What is waiting in `<topic>.dlq`, per partition. */
export async function pendingDlqRanges(
  admin: Admin,
  topic: string,
  cursorGroup = dlqCursorGroup(topic),
): Promise<PendingRange[]> {
  const dlq = dlqTopicOf(topic);
  const ends = await topicWatermarks(admin, dlq);
  if (ends.length === 0) return [];
  const cursor = await committedOffsets(admin, cursorGroup, dlq);
  return ends.map(({ partition, low, high }) => ({
    partition,
    from: Math.max(low, cursor.get(partition) ?? low),
    to: high,
  }));
}

/** Messages waiting in `<topic>.dlq`: neither replayed nor purged. */
export async function dlqDepth(admin: Admin, topic: string, cursorGroup?: string): Promise<number> {
  const ranges = await pendingDlqRanges(admin, topic, cursorGroup);
  return ranges.reduce((sum, r) => sum + Math.max(0, r.to - r.from), 0);
}

/** Moves the cursor of `<topic>.dlq` forward on the given partitions. */
export async function advanceDlqCursor(
  admin: Admin,
  topic: string,
  positions: Map<number, number>,
  cursorGroup = dlqCursorGroup(topic),
): Promise<void> {
  if (positions.size === 0) return;
  await admin.setOffsets({
    groupId: cursorGroup,
    topic: dlqTopicOf(topic),
    partitions: [...positions].map(([partition, offset]) => ({ partition, offset: String(offset) })),
  });
}
