import type { HistoryCursor, PageCursor } from '@customer-sync/customer-api-data';
import { ValidationError } from '@customer-sync/service-core';

/** What encodeCursor writes: Date#toISOString of a 4-digit year (inside PostgreSQL's timestamptz range). */
const ISO_MILLIS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Cursors are opaque to clients: base64url of the last row's (createdAt, id). */
export function encodeCursor(cursor: PageCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt, cursor.id])).toString('base64url');
}

/** True for exactly what encodeCursor can produce, so PostgreSQL never sees a value it would refuse. */
function isCursorPair(value: unknown): value is [string, string] {
  if (!Array.isArray(value) || value.length !== 2) return false;
  const [createdAt, id] = value as unknown[];
  if (typeof createdAt !== 'string' || typeof id !== 'string') return false;
  // A real calendar instant: the round trip rejects 2026-02-30 and 24:00.
  // Year 0000 is the one 4-digit year PostgreSQL refuses.
  return (
    ISO_MILLIS.test(createdAt) &&
    !createdAt.startsWith('0000') &&
    new Date(createdAt).toISOString() === createdAt &&
    UUID.test(id)
  );
}

/** The (createdAt, id) of a cursor; throws ValidationError (400, `query.cursor`) for anything else. */
export function decodeCursor(raw: string): PageCursor {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(raw, 'base64url').toString());
  } catch {
    value = undefined;
  }
  if (!isCursorPair(value))
    throw new ValidationError([{ path: 'query.cursor', message: 'invalid cursor' }], 'invalid query: query.cursor');
  return { createdAt: value[0], id: value[1] };
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
