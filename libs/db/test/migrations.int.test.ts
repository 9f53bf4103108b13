import { useTestDatabase, type TestDatabase } from '@customer-sync/testing';
import { migrateLatest, migrateRollbackAll } from '../src';
import { migrationSource } from '../src/migrations';

const TABLES = ['customers', 'outbox', 'processed_events', 'idempotency_keys', 'reconcile_runs', 'reconcile_seen'];

async function tables(database: TestDatabase): Promise<string[]> {
  const result = await database.db.raw(
    `select tablename from pg_tables where schemaname = 'public' and tablename = any(?) order by 1`,
    [TABLES],
  );
  return result.rows.map((r: { tablename: string }) => r.tablename);
}

describe('migrations', () => {
  const database = useTestDatabase({ migrated: false });

  it('go up, down and up again on an empty database', async () => {
    const applied = await migrateLatest(database.db);
    expect(applied).toEqual(await migrationSource.getMigrations([]));
    expect(await tables(database)).toEqual([...TABLES].sort());

    await migrateRollbackAll(database.db);
    expect(await tables(database)).toEqual([]);

    await migrateLatest(database.db);
    expect(await tables(database)).toEqual([...TABLES].sort());
    expect(await migrateLatest(database.db)).toEqual([]);
  });

  it('field merge (issue 9): rows pending at migration time count every field as pending; API emails become case-insensitive claims', async () => {
    await migrateRollbackAll(database.db);
    const config = { migrationSource, tableName: 'knex_migrations' };
    while (!(await database.db.schema.hasTable('reconcile_runs'))) await database.db.migrate.up(config);
    await database.db('customers').insert([
      {
        id: '6f1d0a55-8f0e-4b3e-9a53-0e6b8f1c2d3e',
        name: 'P',
        email: 'p@example.com',
        origin: 'api',
        sync_status: 'pending',
        version: 3,
        metadata: { a: '1' },
      },
      {
        id: '7f1d0a55-8f0e-4b3e-9a53-0e6b8f1c2d3e',
        name: 'S',
        email: 's@example.com',
        origin: 'stripe',
        sync_status: 'synced',
      },
    ]);
    await migrateLatest(database.db);
    const [pending, fromStripe] = await database.db('customers').orderBy('id');
    expect(pending).toMatchObject({
      pending_fields: { name: 3, email: 3, phone: 3, description: 3, 'metadata.a': 3 },
      email_claim: 'p@example.com',
    });
    expect(fromStripe).toMatchObject({ pending_fields: {}, email_claim: null });
  });

  it('api_deleted_at (issue 9): a deletion the API made is recorded on the row, read from the times or from the outbox', async () => {
    await migrateRollbackAll(database.db);
    const config = { migrationSource, tableName: 'knex_migrations' };
    while ((await database.db.migrate.currentVersion(config)) !== '20261129000006')
      await database.db.migrate.up(config);
    const [byApi, byApiThenStripe, byStripe, byStripeWithCommand] = ['1', '2', '3', '4'].map(
      (n) => `${n}f1d0a55-8f0e-4b3e-9a53-0e6b8f1c2d3e`,
    );
    const at = (iso: string) => new Date(iso);
    await database.db('customers').insert([
      { id: byApi, name: 'A', email: 'a@example.com', origin: 'api', deleted_at: at('2026-11-01T00:00:00Z') },
      {
        id: byApiThenStripe,
        name: 'B',
        email: 'b@example.com',
        origin: 'api',
        deleted_at: at('2026-11-01T00:00:00Z'),
        stripe_deleted_at: at('2026-11-01T00:00:05Z'),
      },
      {
        id: byStripe,
        name: 'C',
        email: 'c@example.com',
        origin: 'api',
        deleted_at: at('2026-11-01T00:00:00Z'),
        stripe_deleted_at: at('2026-11-01T00:00:00Z'),
      },
      {
        id: byStripeWithCommand,
        name: 'D',
        email: 'd@example.com',
        origin: 'api',
        deleted_at: at('2026-11-01T00:00:00Z'),
        stripe_deleted_at: at('2026-11-01T00:00:00Z'),
      },
    ]);
    await database.db('outbox').insert({
      event_id: crypto.randomUUID(),
      topic: 'customer.requested',
      message_key: byStripeWithCommand,
      message: JSON.stringify({ payload: { action: 'delete' } }),
    });
    await migrateLatest(database.db);
    const rows = await database.db('customers').orderBy('id').select('id', 'api_deleted_at');
    expect(rows.map((r) => r.api_deleted_at !== null)).toEqual([true, true, false, true]);
  });
});
