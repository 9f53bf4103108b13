import type { HistoryCursor, PageCursor } from '@customer-sync/db';
import { ValidationError } from '@customer-sync/http';

/** Cursors are opaque to clients: base64url of the last row's (createdAt, id). */
export function encodeCursor(cursor: PageCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt, cursor.id])).toString('base64url');
}

export function decodeCursor(raw: string): PageCursor {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(raw, 'base64url').toString()) as [string, string];
    if (Number.isNaN(Date.parse(createdAt)) || !/^[0-9a-f-]{36}$/.test(id)) throw new Error('bad cursor');
    return { createdAt, id };
  } catch {
    throw new ValidationError([{ path: 'query.cursor', message: 'invalid cursor' }], 'invalid query: query.cursor');
  }
}

/** History cursors: base64url of the last entry's (at, id). */
export function encodeHistoryCursor(cursor: HistoryCursor): string {
  return Buffer.from(JSON.stringify([cursor.at, cursor.id])).toString('base64url');
}

export function decodeHistoryCursor(raw: string): HistoryCursor {
  try {
    const [at, id] = JSON.parse(Buffer.from(raw, 'base64url').toString()) as [string, string];
    if (Number.isNaN(Date.parse(at)) || typeof id !== 'string') throw new Error('bad cursor');
    return { at, id };
  } catch {
    throw new ValidationError([{ path: 'query.cursor', message: 'invalid cursor' }], 'invalid query: query.cursor');
  }
}
