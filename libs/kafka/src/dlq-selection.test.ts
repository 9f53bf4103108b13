import type { DlqEntry } from './dlq-entries';
import { matchesDlqFilter } from './dlq-entries';
import { cursorAfter } from './dlq-selection';

const at = (partition: number, offset: number) => ({ id: `${partition}:${offset}`, partition, offset });

describe('cursorAfter', () => {
  const waiting = [at(0, 3), at(0, 4), at(0, 5), at(1, 7)];
  const ends = new Map([
    [0, 6],
    [1, 8],
    [2, 2],
  ]);

  it('moves every partition to its end when all waiting entries were handled', () => {
    expect(cursorAfter(waiting, waiting, ends)).toEqual(
      new Map([
        [0, 6],
        [1, 8],
        [2, 2],
      ]),
    );
  });

  it('stops before the first entry left waiting on a partition', () => {
    expect(cursorAfter([at(0, 3), at(0, 5)], waiting, ends)).toEqual(
      new Map([
        [0, 4],
        [1, 7],
        [2, 2],
      ]),
    );
  });

  it('does not move past an entry left waiting before a handled one', () => {
    expect(cursorAfter([at(0, 5)], waiting, ends).get(0)).toBe(3);
  });
});

describe('matchesDlqFilter', () => {
  const entry = { id: '0:3', key: 'cus_1', error: 'PermanentError: card Declined' } as DlqEntry;

  it.each([
    [{}, true],
    [{ key: 'cus_1' }, true],
    [{ key: 'cus_2' }, false],
    [{ error: 'declined' }, true],
    [{ error: 'timeout' }, false],
    [{ ids: ['0:3', '1:1'] }, true],
    [{ ids: ['0:4'] }, false],
    [{ key: 'cus_1', error: 'timeout' }, false],
  ])('%j → %s', (filter, expected) => {
    expect(matchesDlqFilter(entry, filter)).toBe(expected);
  });
});
