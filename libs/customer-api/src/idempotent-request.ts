import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { claimIdempotencyKey, completeIdempotencyKey, findIdempotentResponse } from '@customer-sync/customer-api-data';
import type { Db } from '@customer-sync/db';
import { ConflictError } from '@customer-sync/service-core';

export interface WriteResult {
  status: number;
  body: unknown;
}

export interface IdempotencyContext {
  /** Who the key belongs to (a hash of the caller's API key). */
  scope: string;
  key: string | undefined;
  /** Method, route and body of the request, so a reused key with another request is caught. */
  request: unknown;
}

const isUniqueViolation = (error: unknown, constraint: string) =>
  (error as { code?: string; constraint?: string }).code === '23505' &&
  (error as { constraint?: string }).constraint === constraint;

function replayOrConflict(
  stored: { requestHash: string; status: number; body: unknown },
  requestHash: string,
): WriteResult {
  if (stored.requestHash !== requestHash) {
    throw new ConflictError('idempotency_key_reused', 'this Idempotency-Key was already used with a different request');
  }
  return { status: stored.status, body: stored.body };
}

/**
 * Runs a write atomically (one transaction, or one statement where the write is one); with an
 * Idempotency-Key the answer is saved in the write's transaction, so a retry gets the first answer
 * back and never writes twice.
 */
export async function runIdempotentWrite(
  db: Db,
  ctx: IdempotencyContext,
  write: (q: Knex) => Promise<WriteResult>,
  /** The write is one statement, atomic by itself: without a key it needs no transaction. */
  options: { singleStatement?: boolean } = {},
): Promise<WriteResult> {
  if (!ctx.key) return options.singleStatement ? write(db) : db.transaction(write);
  const key = ctx.key;
  const requestHash = createHash('sha256').update(JSON.stringify(ctx.request)).digest('hex');
  const stored = await findIdempotentResponse(db, ctx.scope, key);
  if (stored) return replayOrConflict(stored, requestHash);
  try {
    return await db.transaction(async (trx) => {
      await claimIdempotencyKey(trx, ctx.scope, key, requestHash);
      const result = await write(trx);
      await completeIdempotencyKey(trx, ctx.scope, key, result);
      return result;
    });
  } catch (error) {
    if (!isUniqueViolation(error, 'idempotency_keys_pkey')) throw error;
    // A concurrent request with the same key committed first.
    const winner = await findIdempotentResponse(db, ctx.scope, key);
    return replayOrConflict(winner!, requestHash);
  }
}

export { isUniqueViolation };
