import { createGroupCommit } from './group-commit';

class Refused extends Error {}

/** A fake store: records each write's items; an item named `bad` refuses any write it is in. */
function fakeStore(options: { maxItems?: number; maxInFlight?: number; lose?: boolean } = {}) {
  const writes: string[][] = [];
  let release: () => void = () => undefined;
  let gate = Promise.resolve();
  const hold = () => (gate = new Promise<void>((resolve) => (release = resolve)));
  const write = async (items: string[]) => {
    writes.push(items);
    await gate;
    if (options.lose) throw new Error('connection lost');
    if (items.includes('bad')) throw new Refused(`refused ${items.join(',')}`);
    return items.map((i) => `stored ${i}`);
  };
  const add = createGroupCommit<string, string>({
    writeMany: write,
    writeOne: async (item) => (await write([item]))[0]!,
    maxItems: options.maxItems ?? 100,
    maxInFlight: options.maxInFlight ?? 1,
    isRefusal: (error) => error instanceof Refused,
  });
  return { add, writes, hold, release: () => release() };
}

const settle = (promises: Promise<string>[]) =>
  Promise.allSettled(promises).then((r) =>
    r.map((s) => (s.status === 'fulfilled' ? s.value : `error: ${(s.reason as Error).message}`)),
  );

describe('createGroupCommit', () => {
  it('when idle, writes a lone item at once and alone', async () => {
    const store = fakeStore();

    expect(await store.add('a')).toBe('stored a');
    expect(store.writes).toEqual([['a']]);
  });

  it('coalesces the items that arrive while a write is in flight into one write', async () => {
    const store = fakeStore();
    store.hold();

    const first = store.add('a');
    const rest = ['b', 'c', 'd'].map(store.add);
    store.release();

    expect(await settle([first, ...rest])).toEqual(['stored a', 'stored b', 'stored c', 'stored d']);
    expect(store.writes).toEqual([['a'], ['b', 'c', 'd']]);
  });

  it('keeps groups at maxItems and no more than maxInFlight writes at once', async () => {
    const store = fakeStore({ maxItems: 2, maxInFlight: 2 });
    store.hold();

    const all = ['a', 'b', 'c', 'd', 'e', 'f'].map(store.add);
    expect(store.writes).toEqual([['a'], ['b']]);
    store.release();

    expect(await settle(all)).toHaveLength(6);
    expect(store.writes).toEqual([['a'], ['b'], ['c', 'd'], ['e', 'f']]);
  });

  it('when the database refuses a group, writes its items one by one: only the offending item fails, with its own error', async () => {
    const store = fakeStore();
    store.hold();

    const first = store.add('a');
    const rest = ['b', 'bad', 'c'].map(store.add);
    store.release();

    expect(await settle([first, ...rest])).toEqual(['stored a', 'stored b', 'error: refused bad', 'stored c']);
    expect(store.writes).toEqual([['a'], ['b', 'bad', 'c'], ['b'], ['bad'], ['c']]);
  });

  it('when a group fails in a way that may have committed (a lost connection), fails each item with that error and retries none', async () => {
    const store = fakeStore({ lose: true, maxInFlight: 1 });
    store.hold();

    const all = ['a', 'b', 'c'].map(store.add);
    store.release();

    expect(await settle(all)).toEqual(Array(3).fill('error: connection lost'));
    expect(store.writes).toEqual([['a'], ['b', 'c']]);
  });
});
