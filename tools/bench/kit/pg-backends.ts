// PostgreSQL's backend processes serving one database (their CPU counts toward a path's cost).
import pg from 'pg';
import { databaseUrl } from '@customer-sync/testing';

/** A connection to the `postgres` database that lists the backend pids of another database. */
export async function pgBackends() {
  const client = new pg.Client({ connectionString: databaseUrl('postgres') });
  await client.connect();
  return {
    /** Pids of the backends connected to `database` now. */
    async of(database: string): Promise<number[]> {
      const { rows } = await client.query<{ pid: number }>('select pid from pg_stat_activity where datname = $1', [
        database,
      ]);
      return rows.map((r) => r.pid);
    },
    close: () => client.end(),
  };
}
