import type { Knex } from 'knex';

export interface StoredResponse {
  requestHash: string;
  status: number;
  body: unknown;
}

export async function findIdempotentResponse(db: Knex, scope: string, key: string): Promise<StoredResponse | undefined> {
  const row = await db('idempotency_keys').where({ scope, key }).first();
  return row && { requestHash: row.request_hash, status: row.response_status, body: row.response_body };
}

/** Saved in the same transaction as the write it answers; a concurrent twin fails on the primary key. */
export async function saveIdempotentResponse(trx: Knex.Transaction, scope: string, key: string, response: StoredResponse): Promise<void> {
  await trx('idempotency_keys').insert({
    scope,
    key,
    request_hash: response.requestHash,
    response_status: response.status,
    response_body: JSON.stringify(response.body),
  });
}
