import { createTestDatabase, type TestDatabase } from '@customer-sync/testing';
import { migrateLatest, migrateRollbackAll } from '../src';

const TABLES = ['customers', 'outbox', 'processed_events', 'idempotency_keys', 'reconcile_runs', 'reconcile_seen'];

async function tables(database: TestDatabase): Promise<string[]> {
  const result = await database.db.raw(`select tablename from pg_tables where schemaname = 'public' and tablename = any(?) order by 1`, [TABLES]);
  return result.rows.map((r: { tablename: string }) => r.tablename);
}

describe('migrations', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase({ migrated: false });
  });
  afterAll(() => database.drop());

  it('go up, down and up again on an empty database', async () => {
    const applied = await migrateLatest(database.db);
    expect(applied).toHaveLength(7);
    expect(await tables(database)).toEqual([...TABLES].sort());

    await migrateRollbackAll(database.db);
    expect(await tables(database)).toEqual([]);

    await migrateLatest(database.db);
    expect(await tables(database)).toEqual([...TABLES].sort());
    expect(await migrateLatest(database.db)).toEqual([]);
  });
});
