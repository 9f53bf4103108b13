export interface GroupCommitOptions<T, R> {
  /** Writes every item in ONE atomic statement or transaction; resolves with a result per item, in order. */
  writeMany(items: T[]): Promise<R[]>;
  /** Writes one item alone: what each item of a refused group falls back to. */
  writeOne(item: T): Promise<R>;
  /** Items per group at most. */
  maxItems: number;
  /** Groups being written at once at most; items that arrive meanwhile wait and form the next group. */
  maxInFlight: number;
  /** Whether an error of writeMany proves nothing was written and an item of the group caused it. */
  isRefusal(error: unknown): boolean;
}

interface Waiting<T, R> {
  item: T;
  resolve(result: R): void;
  reject(error: unknown): void;
}

/**
 * Group commit: the writes that arrive while `maxInFlight` groups are being written are coalesced
 * into the next group, one statement and one commit for all of them. Each promise settles only after
 * its group committed. An idle writer sends a lone item at once, so light load waits for nothing.
 *
 * Each caller gets the answer it would get alone: a group the database refused (`isRefusal`: one
 * row broke a constraint, or a deadlock between groups) is retried item by item, so only the
 * offending items fail, with their own error. Any other error (e.g. a lost connection, where the
 * commit may have happened) is passed to every item of the group, never retried.
 */
export function createGroupCommit<T, R>(options: GroupCommitOptions<T, R>): (item: T) => Promise<R> {
  const queue: Waiting<T, R>[] = [];
  let inFlight = 0;

  const writeAlone = (w: Waiting<T, R>) => options.writeOne(w.item).then(w.resolve, w.reject);

  const writeGroup = async (group: Waiting<T, R>[]): Promise<void> => {
    if (group.length === 1) return writeAlone(group[0]!);
    let results: R[];
    try {
      results = await options.writeMany(group.map((w) => w.item));
    } catch (error) {
      if (!options.isRefusal(error)) return group.forEach((w) => w.reject(error));
      await Promise.all(group.map(writeAlone));
      return;
    }
    group.forEach((w, i) => w.resolve(results[i]!));
  };

  const pump = () => {
    while (inFlight < options.maxInFlight && queue.length > 0) {
      inFlight++;
      void writeGroup(queue.splice(0, options.maxItems)).finally(() => {
        inFlight--;
        pump();
      });
    }
  };

  return (item) =>
    new Promise<R>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      pump();
    });
}
