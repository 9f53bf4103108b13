/** The part of a DLQ entry the cursor arithmetic needs. */
export interface PositionedEntry {
  id: string;
  partition: number;
  offset: number;
}

/**
 * Where the DLQ cursor may move once `handled` entries were replayed or purged: per partition, over
 * the leading run of handled entries only, since everything before the cursor counts as done. A
 * partition whose waiting entries were all handled moves to its end.
 */
export function cursorAfter(
  handled: PositionedEntry[],
  waiting: PositionedEntry[],
  ends: Map<number, number>,
): Map<number, number> {
  const done = new Set(handled.map((e) => e.id));
  const positions = new Map<number, number>();
  for (const [partition, end] of ends) {
    const firstLeft = waiting
      .filter((e) => e.partition === partition && !done.has(e.id))
      .sort((a, b) => a.offset - b.offset)[0];
    positions.set(partition, firstLeft ? firstLeft.offset : end);
  }
  return positions;
}
