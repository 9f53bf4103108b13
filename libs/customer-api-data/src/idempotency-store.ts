import type { Knex } from 'knex';

export interface StoredResponse {
  requestHash: string;
  status: number;
  body: unknown;
}

export async function findIdempotentResponse(
  db: Knex,
  scope: string,
  key: string,
): Promise<StoredResponse | undefined> {
  const row = await db('idempotency_keys').where({ scope, key }).first();
  return row && { requestHash: row.request_hash, status: row.response_status, body: row.response_body };
}

/**
 * Claims a key at the start of the write's transaction: a concurrent request with the same key
 * waits on the primary key until this one commits, then fails with a unique violation.
 */
export async function claimIdempotencyKey(
  trx: Knex.Transaction,
  scope: string,
  key: string,
  requestHash: string,
): Promise<void> {
  await trx('idempotency_keys').insert({
    scope,
    key,
    request_hash: requestHash,
    response_status: 0,
    response_body: 'null',
  });
}

/** Stores the answer in the same transaction as the write it answers. */
export async function completeIdempotencyKey(
  trx: Knex.Transaction,
  scope: string,
  key: string,
  response: Omit<StoredResponse, 'requestHash'>,
): Promise<void> {
  await trx('idempotency_keys')
    .where({ scope, key })
    .update({ response_status: response.status, response_body: JSON.stringify(response.body) });
}
