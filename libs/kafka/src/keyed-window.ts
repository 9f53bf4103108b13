/**
 * A counting semaphore: at most `size` holders at once, served in the order they asked. One is shared
 * by every partition batch of a consumer, so the bound is per process, not per partition.
 */
export class InFlightLimit {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1)
      throw new RangeError(`an in-flight limit must be a positive integer, got ${size}`);
  }

  /** Resolves with a release function once a slot is free; releasing twice frees one slot only. */
  async acquire(): Promise<() => void> {
    if (this.active < this.size) this.active++;
    // A released slot is handed straight to the next waiter, so `active` stays counted for it.
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    };
  }
}

export interface KeyedWindowOptions<T> {
  /** The items in their order (a partition batch's messages). */
  items: readonly T[];
  /** Items with equal keys run one after another, in item order; different keys may overlap. */
  keyOf(item: T): string;
  limit: InFlightLimit;
  /** Works one item: true once its effect is durable, false to leave it (and everything after it) for a later delivery. */
  run(item: T, index: number): Promise<boolean>;
  /** Called with the index of the last item of the done prefix each time that prefix grows. */
  onPrefix(lastIndex: number): void;
  /** Checked before an item starts: true starts no more items (stopping, partition lost). */
  stopped(): boolean;
}

/**
 * Works the items with up to `limit` of them in flight, strictly in order per key, and reports the
 * contiguous prefix of done items (what may be committed: tulios/kafkajs#320, a resolved offset is a
 * single pointer, never resolved out of order). Once an item is left undone (`run` false or thrown),
 * no further item starts, and a later item of the same key never starts at all; items already in
 * flight finish. Resolves with the length of the done prefix once nothing is in flight; rethrows the
 * first error `run` threw, after the others settled.
 */
export async function runKeyedWindow<T>(options: KeyedWindowOptions<T>): Promise<number> {
  const { items, limit } = options;
  const done = new Array<boolean>(items.length).fill(false);
  const tails = new Map<string, Promise<boolean>>();
  const started: Promise<boolean>[] = [];
  let prefix = 0;
  let halted = false;
  let failure: { error: unknown } | undefined;

  const work = async (
    item: T,
    index: number,
    before: Promise<boolean> | undefined,
    release: () => void,
  ): Promise<boolean> => {
    try {
      if (before && !(await before)) return false;
      if (halted || options.stopped()) return false;
      if (!(await options.run(item, index))) {
        halted = true;
        return false;
      }
      done[index] = true;
      const from = prefix;
      while (prefix < done.length && done[prefix]) prefix++;
      if (prefix > from) options.onPrefix(prefix - 1);
      return true;
    } catch (error) {
      halted = true;
      failure ??= { error };
      return false;
    } finally {
      release();
    }
  };

  for (const [index, item] of items.entries()) {
    const release = await limit.acquire();
    if (halted || options.stopped()) {
      release();
      break;
    }
    const key = options.keyOf(item);
    const running = work(item, index, tails.get(key), release);
    tails.set(key, running);
    started.push(running);
  }
  await Promise.all(started);
  if (failure) throw failure.error;
  return prefix;
}
