import pg from 'pg';
import { createDb, migrateLatest } from '@customer-sync/db';
import { TEMPLATE_DATABASE, databaseUrl } from '@customer-sync/testing';

const AN_HOUR = 3_600_000;

/** Databases of test files that died before dropping theirs (names carry their creation time). */
async function dropAbandonedTestDatabases(admin: pg.Client): Promise<void> {
  const { rows } = await admin.query<{ datname: string }>(
    `select datname from pg_database where datname like 'cs\\_t%'`,
  );
  for (const { datname } of rows) {
    const created = parseInt(datname.slice(4, 12), 36);
    if (Date.now() - created > AN_HOUR) await admin.query(`drop database if exists "${datname}" with (force)`);
  }
}

/** Once per run: a freshly migrated template database that each test file clones. */
export default async function globalSetup(): Promise<void> {
  const admin = new pg.Client({ connectionString: databaseUrl('postgres') });
  await admin.connect();
  try {
    await dropAbandonedTestDatabases(admin);
    await admin.query(`drop database if exists ${TEMPLATE_DATABASE} with (force)`);
    await admin.query(`create database ${TEMPLATE_DATABASE}`);
  } finally {
    await admin.end();
  }
  const db = createDb({ url: databaseUrl(TEMPLATE_DATABASE) });
  try {
    await migrateLatest(db);
  } finally {
    await db.destroy();
  }
}
