import { decodeCursor, encodeCursor } from './page-cursor';

describe('page cursor', () => {
  it('round-trips the last row position', () => {
    const cursor = { createdAt: '2026-11-27T10:00:00.123Z', id: '6f1d0a55-8f0e-4b3e-9a53-0e6b8f1c2d3e' };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
  });

  it.each(['garbage', Buffer.from('["not a date","x"]').toString('base64url')])('refuses %s with a 400', (raw) => {
    expect(() => decodeCursor(raw)).toThrow(expect.objectContaining({ status: 400 }));
  });

  const id = '6f1d0a55-8f0e-4b3e-9a53-0e6b8f1c2d3e';
  // Each passes Date.parse or a loose id pattern, and PostgreSQL would refuse it.
  it.each([
    ['a bare number and dashes', ['1', '------------------------------------']],
    ['a year past PostgreSQL', ['+275760-09-13T00:00:00.000Z', id]],
    ['year 0000', ['0000-01-01T00:00:00.000Z', id]],
    ['30 February', ['2026-02-30T00:00:00.000Z', id]],
    ['a date without time', ['2026-11-27', id]],
    ['a local time', ['2026-11-27T10:00:00', id]],
    ['an id of the right length that is no UUID', ['2026-11-27T10:00:00.123Z', '6f1d0a55-8f0e-4b3e-9a53-0e6b8f1c2d3-']],
    ['a number as time', [1764237600000, id]],
    ['three items', ['2026-11-27T10:00:00.123Z', id, 'x']],
  ])('refuses a cursor with %s', (_name, pair) => {
    expect(() => decodeCursor(Buffer.from(JSON.stringify(pair)).toString('base64url'))).toThrow(
      expect.objectContaining({ status: 400 }),
    );
  });
});
