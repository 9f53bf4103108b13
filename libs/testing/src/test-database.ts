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
  await withAdminClient((c) =>
    c.query(
      options.migrated === false ? `create database ${name}` : `create database ${name} template ${TEMPLATE_DATABASE}`,
    ),
  );
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

/**
 * A test database for the enclosing describe block (or file): created in beforeAll, dropped in
 * afterAll. The handle reads through to it, so tests use `database.db` and `database.url` as usual.
 */
export function useTestDatabase(options: { migrated?: boolean } = {}): TestDatabase {
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    database = await createTestDatabase(options);
  });
  afterAll(() => database?.drop());
  const current = () => {
    if (!database) throw new Error('the test database exists only once beforeAll has run');
    return database;
  };
  return {
    get url() {
      return current().url;
    },
    get db() {
      return current().db;
    },
    drop: () => current().drop(),
  };
}
