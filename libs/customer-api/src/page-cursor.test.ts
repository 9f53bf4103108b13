import { decodeCursor, encodeCursor } from './page-cursor';

describe('page cursor', () => {
  it('round-trips the last row position', () => {
    const cursor = { createdAt: '2026-11-27T10:00:00.123Z', id: '6f1d0a55-8f0e-4b3e-9a53-0e6b8f1c2d3e' };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
  });

  it.each(['garbage', Buffer.from('["not a date","x"]').toString('base64url')])('refuses %s with a 400', (raw) => {
    expect(() => decodeCursor(raw)).toThrow(expect.objectContaining({ status: 400 }));
  });
});
