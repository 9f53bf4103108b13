import knex, { type Knex } from 'knex';
import pg from 'pg';
import type { Logger } from '@customer-sync/logger';
import { migrationSource } from './migrations';

// bigint columns (event times) come back as numbers; they stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export type Db = Knex;

export interface DbOptions {
  url: string;
  poolMin?: number;
  poolMax?: number;
  /** Where knex's own warnings go (else knex writes plain text to the console, breaking JSON logs). */
  logger?: Logger;
}

/** knex's log hooks routed into a winston logger, so its lines come out in the service's format. */
export function knexLog(logger: Logger): Knex.Config['log'] {
  const to = (level: string) => (message: unknown) =>
    logger.log(level, `knex: ${typeof message === 'string' ? message : JSON.stringify(message)}`);
  return {
    warn: to('warn'),
    error: to('error'),
    deprecate: (method: string, alternative: string) =>
      logger.warn(`knex: ${method} is deprecated, use ${alternative}`),
    debug: to('debug'),
  };
}

/** A knex instance on PostgreSQL with a bounded pool. */
export function createDb(options: DbOptions): Db {
  return knex({
    client: 'pg',
    connection: options.url,
    pool: { min: options.poolMin ?? 0, max: options.poolMax ?? 10 },
    ...(options.logger ? { log: knexLog(options.logger) } : {}),
  });
}

const MIGRATIONS = { migrationSource, tableName: 'knex_migrations' };

/** Migrations this code knows and the database has not applied yet. */
export async function pendingMigrations(db: Db): Promise<string[]> {
  // With a custom migration source knex lists the source's own items: here, the names.
  const [, pending] = (await db.migrate.list(MIGRATIONS)) as [unknown, string[]];
  return pending;
}

/** Applies every pending migration; returns their names. */
export async function migrateLatest(db: Db): Promise<string[]> {
  const [, applied] = await db.migrate.latest(MIGRATIONS);
  return applied as string[];
}

export async function migrateRollbackAll(db: Db): Promise<string[]> {
  const [, reverted] = await db.migrate.rollback(MIGRATIONS, true);
  return reverted as string[];
}

export async function pingDb(db: Db): Promise<void> {
  await db.raw('select 1');
}

/** Creates the database named in the URL when it does not exist (connects to `postgres` to do so). */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`create database "${name.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}
