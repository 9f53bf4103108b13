import pg from 'pg';
import { createDb, migrateLatest } from '@customer-sync/db';
import { TEMPLATE_DATABASE, databaseUrl } from '@customer-sync/testing';

/** Once per run: a freshly migrated template database that each test file clones. */
export default async function globalSetup(): Promise<void> {
  const admin = new pg.Client({ connectionString: databaseUrl('postgres') });
  await admin.connect();
  try {
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
