import { InFlightLimit, runKeyedWindow } from './keyed-window';

interface Item {
  key: string;
  n: number;
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

/** Items whose work the test finishes by hand, recording what started and the done prefixes reported. */
function harness(items: Item[], limit: number, answers: Record<number, boolean | Error> = {}) {
  const started: number[] = [];
  const finish = new Map<number, () => void>();
  const prefixes: number[] = [];
  let stop = false;
  const result = runKeyedWindow({
    items,
    keyOf: (item) => item.key,
    limit: new InFlightLimit(limit),
    run: async (item) => {
      started.push(item.n);
      await new Promise<void>((resolve) => finish.set(item.n, resolve));
      const answer = answers[item.n] ?? true;
      if (answer instanceof Error) throw answer;
      return answer;
    },
    onPrefix: (last) => prefixes.push(last),
    stopped: () => stop,
  });
  return {
    started,
    prefixes,
    result,
    stop: () => (stop = true),
    async complete(...ns: number[]) {
      for (const n of ns) finish.get(n)!();
      await tick();
      await tick();
    },
  };
}

const items = (...keys: string[]): Item[] => keys.map((key, n) => ({ key, n }));

describe('runKeyedWindow', () => {
  it('starts items of different keys together, up to the limit', async () => {
    const h = harness(items('a', 'b', 'c', 'd'), 3);
    await tick();
    expect(h.started).toEqual([0, 1, 2]);
    await h.complete(1);
    expect(h.started).toEqual([0, 1, 2, 3]);
    await h.complete(0, 2, 3);
    expect(await h.result).toBe(4);
  });

  it('starts an item only after the earlier item of its key finished', async () => {
    const h = harness(items('a', 'b', 'a', 'c'), 10);
    await tick();
    expect(h.started).toEqual([0, 1, 3]);
    await h.complete(0);
    expect(h.started).toEqual([0, 1, 3, 2]);
    await h.complete(1, 2, 3);
    expect(await h.result).toBe(4);
  });

  it('reports only the contiguous prefix of done items, never a later one first', async () => {
    const h = harness(items('a', 'b', 'c'), 10);
    await tick();
    await h.complete(2);
    await h.complete(1);
    expect(h.prefixes).toEqual([]);
    await h.complete(0);
    expect(h.prefixes).toEqual([2]);
    expect(await h.result).toBe(3);
  });

  it('when an item is left undone, starts nothing more and never runs a later item of its key; in-flight items finish', async () => {
    // Item 2 waits for item 0 (same key) in a slot of its own: four slots, so item 4 waits for one.
    const h = harness(items('a', 'b', 'a', 'c', 'd'), 4, { 0: false });
    await tick();
    expect(h.started).toEqual([0, 1, 3]);
    await h.complete(0);
    await h.complete(1, 3);
    expect(h.started).toEqual([0, 1, 3]);
    expect(h.prefixes).toEqual([]);
    expect(await h.result).toBe(0);
  });

  it('when stopping, starts nothing more and reports what finished', async () => {
    const h = harness(items('a', 'b', 'c', 'd'), 2);
    await tick();
    h.stop();
    await h.complete(0, 1);
    expect(h.started).toEqual([0, 1]);
    expect(await h.result).toBe(2);
  });

  it('rethrows an error of an item once the others settled', async () => {
    const h = harness(items('a', 'b'), 2, { 1: new Error('boom') });
    const outcome = h.result.then(
      () => 'resolved',
      (error: Error) => error.message,
    );
    await tick();
    await h.complete(1);
    await h.complete(0);
    expect(await outcome).toBe('boom');
    expect(h.prefixes).toEqual([0]);
  });
});

describe('InFlightLimit', () => {
  it('hands a released slot to the earliest waiter and frees a slot once per release', async () => {
    const limit = new InFlightLimit(1);
    const release = await limit.acquire();
    const order: string[] = [];
    const first = limit.acquire().then((r) => (order.push('first'), r));
    const second = limit.acquire().then((r) => (order.push('second'), r));
    release();
    release();
    (await first)();
    (await second)();
    expect(order).toEqual(['first', 'second']);
  });
});
