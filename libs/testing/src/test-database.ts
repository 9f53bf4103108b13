import knex, { type Knex } from 'knex';
import pg from 'pg';
import { TEMPLATE_DATABASE, databaseUrl, uniqueSuffix } from './test-env';

export interface TestDatabase {
  url: string;
  db: Knex;
  drop(): Promise<void>;
}

/** Runs `fn` with a client of the test server's `postgres` database (for CREATE and DROP DATABASE). */
export async function withAdminClient<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl('postgres') });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A migrated database of this test file's own, cloned from the run's template. */
export async function createTestDatabase(options: { migrated?: boolean } = {}): Promise<TestDatabase> {
  const name = `cs_${uniqueSuffix()}`;
  await withAdminClient((c) => c.query(options.migrated === false ? `create database ${name}` : `create database ${name} template ${TEMPLATE_DATABASE}`));
  const url = databaseUrl(name);
  const db = knex({ client: 'pg', connection: url, pool: { min: 0, max: 5 } });
  return {
    url,
    db,
    async drop() {
      await db.destroy();
      await withAdminClient((c) => c.query(`drop database if exists ${name} with (force)`));
    },
  };
}
