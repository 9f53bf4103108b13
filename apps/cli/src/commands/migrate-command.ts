import type { Command } from 'commander';
import { createDb, ensureDatabase, migrateLatest, migrateRollbackAll } from '@customer-sync/db';
import type { CliContext } from '../cli-context';
import { ExitCode } from '../output';
import type { Runner } from '../program';

/** `migrate`: creates the database when missing and applies every migration; `--rollback` reverts them all. */
export function registerMigrate(program: Command, run: Runner): void {
  program
    .command('migrate')
    .description('create the database if missing and apply every migration (what start-up and CI run)')
    .option('--rollback', 'revert every migration instead (drops the tables: development only)')
    .action(
      run(async (ctx: CliContext, options: { rollback?: boolean }) => {
        const { DATABASE_URL } = ctx.config('database');
        if (!options.rollback) await ensureDatabase(DATABASE_URL);
        const db = createDb({ url: DATABASE_URL, poolMax: 1 });
        try {
          const names = options.rollback ? await migrateRollbackAll(db) : await migrateLatest(db);
          const result = options.rollback ? { reverted: names } : { applied: names };
          ctx.output.result(
            result,
            () => `${options.rollback ? 'reverted' : 'applied'}: ${names.length ? names.join(', ') : 'nothing to do'}`,
          );
          return ExitCode.ok;
        } finally {
          await db.destroy();
        }
      }),
    );
}
