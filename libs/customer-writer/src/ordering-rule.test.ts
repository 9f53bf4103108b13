import { decide } from './ordering-rule';

describe('decide', () => {
  it.each([
    ['no row yet', undefined, { created: 10, deleted: false }, 'insert'],
    ['no row yet, deletion', undefined, { created: 10, deleted: true }, 'insert'],
    ['newer event', { created: 10, deleted: false }, { created: 11, deleted: false }, 'apply'],
    ['row never stamped by Stripe', { created: null, deleted: false }, { created: 1, deleted: false }, 'apply'],
    ['older event', { created: 10, deleted: false }, { created: 9, deleted: false }, 'stale'],
    ['same second', { created: 10, deleted: false }, { created: 10, deleted: false }, 'tie'],
    ['tie inside the batch', { created: 5, deleted: false }, { created: 10, deleted: false, tiedInBatch: true }, 'tie'],
    [
      'tie inside a batch older than the row',
      { created: 12, deleted: false },
      { created: 10, deleted: false, tiedInBatch: true },
      'stale',
    ],
    ['deletion, even if older', { created: 10, deleted: false }, { created: 9, deleted: true }, 'apply'],
    ['anything after deletion', { created: 10, deleted: true }, { created: 11, deleted: false }, 'ignore-deleted'],
  ] as const)('%s → %s', (_case, stored, incoming, expected) => {
    expect(decide(stored, incoming)).toBe(expected);
  });
});
