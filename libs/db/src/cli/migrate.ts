import { MigrateEnv, loadConfig } from '@customer-sync/config';
import { createServiceLogger, type Logger } from '@customer-sync/logger';
import { createDb, ensureDatabase, migrateLatest, migrateRollbackAll, pendingMigrations, type Db } from '../create-db';

const POLL_MS = 2000;

/** Polls until the database holds every migration this build knows; the Deployments' init containers run it. */
async function waitForSchema(db: Db, logger: Logger, timeoutS: number): Promise<void> {
  const deadline = Date.now() + timeoutS * 1000;
  for (;;) {
    const pending = await pendingMigrations(db).catch((error: unknown) => [
      `(database not answering: ${error instanceof Error ? error.message : String(error)})`,
    ]);
    if (pending.length === 0) return;
    if (Date.now() > deadline) throw new Error(`schema still behind after ${timeoutS} s: ${pending.join(', ')}`);
    logger.info('waiting for migrations', { pending });
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/**
 * `migrate latest` creates the database if needed and applies every migration; `migrate rollback`
 * reverts all; `migrate wait` returns once the schema is current (it never changes it).
 */
async function main() {
  const command = process.argv[2] ?? 'latest';
  if (!['latest', 'rollback', 'wait'].includes(command))
    throw new Error(`unknown command ${command} (latest, rollback, wait)`);
  const config = loadConfig(MigrateEnv);
  const logger = createServiceLogger('migrate', config);
  if (command === 'latest') await ensureDatabase(config.DATABASE_URL);
  const db = createDb({ url: config.DATABASE_URL, logger });
  try {
    if (command === 'wait') {
      await waitForSchema(db, logger, config.MIGRATE_WAIT_TIMEOUT_S);
      logger.info('schema is current');
      return;
    }
    const names = command === 'rollback' ? await migrateRollbackAll(db) : await migrateLatest(db);
    logger.info(`${command}: ${names.length ? names.join(', ') : 'nothing to do'}`, { migrations: names });
  } finally {
    await db.destroy();
  }
}

main().catch((error) => {
  // The logger may not exist yet (a bad variable); one JSON line either way.
  process.stderr.write(
    `${JSON.stringify({ level: 'error', service: 'migrate', message: `migration failed: ${error instanceof Error ? error.message : String(error)}` })}\n`,
  );
  process.exit(1);
});
