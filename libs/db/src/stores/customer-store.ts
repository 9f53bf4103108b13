import type { Knex } from 'knex';
import type { CustomerFields } from '@customer-sync/contracts';
import type { CustomerRow } from './customer-row';

const TABLE = 'customers';

export interface PageCursor {
  createdAt: string;
  id: string;
}

export interface ListFilter {
  limit: number;
  after?: PageCursor;
  email?: string;
}

export async function insertApiCustomer(db: Knex, id: string, fields: CustomerFields): Promise<CustomerRow> {
  const [row] = await db<CustomerRow>(TABLE)
    .insert({ id, ...fields, metadata: JSON.stringify(fields.metadata) as never, origin: 'api', sync_status: 'pending' })
    .returning('*');
  return row!;
}

export async function findCustomer(db: Knex, id: string, options: { forUpdate?: boolean } = {}): Promise<CustomerRow | undefined> {
  const query = db<CustomerRow>(TABLE).where({ id }).first();
  return options.forUpdate ? query.forUpdate() : query;
}

/** Newest first, keyset-paginated on (created_at, id) so pages never skip or repeat rows. */
export async function listCustomers(db: Knex, filter: ListFilter): Promise<CustomerRow[]> {
  const query = db<CustomerRow>(TABLE)
    .whereNull('deleted_at')
    .orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }])
    .limit(filter.limit);
  if (filter.email) query.where({ email: filter.email });
  if (filter.after) query.whereRaw('(created_at, id) < (?::timestamptz, ?::uuid)', [filter.after.createdAt, filter.after.id]);
  return query;
}

/** Writes new desired fields from the API and bumps the version the next sync result must reach. */
export async function updateApiCustomer(db: Knex, id: string, fields: CustomerFields): Promise<CustomerRow> {
  const [row] = await db<CustomerRow>(TABLE)
    .where({ id })
    .update({
      ...fields,
      metadata: JSON.stringify(fields.metadata) as never,
      sync_status: 'pending',
      sync_error: null,
      version: db.raw('version + 1') as never,
      updated_at: db.fn.now() as never,
    })
    .returning('*');
  return row!;
}

export async function markCustomerDeletedByApi(db: Knex, id: string): Promise<CustomerRow> {
  const [row] = await db<CustomerRow>(TABLE)
    .where({ id })
    .update({
      deleted_at: db.fn.now() as never,
      sync_status: 'pending',
      sync_error: null,
      version: db.raw('version + 1') as never,
      updated_at: db.fn.now() as never,
    })
    .returning('*');
  return row!;
}
