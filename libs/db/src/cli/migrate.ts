import { createDb, ensureDatabase, migrateLatest, migrateRollbackAll } from '../create-db';
import { loadConfig, databaseEnv } from '@customer-sync/config';
import { z } from 'zod';

/** `migrate latest` creates the database if needed and applies every migration; `migrate rollback` reverts all. */
async function main() {
  const command = process.argv[2] ?? 'latest';
  const config = loadConfig(z.object(databaseEnv));
  if (command === 'latest') await ensureDatabase(config.DATABASE_URL);
  const db = createDb({ url: config.DATABASE_URL });
  try {
    const names = command === 'rollback' ? await migrateRollbackAll(db) : await migrateLatest(db);
    console.log(`${command}: ${names.length ? names.join(', ') : 'nothing to do'}`);
  } finally {
    await db.destroy();
  }
}

main().catch((error) => {
  console.error(`migration failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
