import type { Command } from 'commander';
import {
  countExpired,
  idempotencyKeysRetention,
  outboxRetention,
  processedEventsRetention,
  pruneExpired,
} from '@customer-sync/db';
import type { CliContext } from '../cli-context';
import { ExitCode, table } from '../output';
import type { Runner } from '../program';

/** `prune`: what the services' retention schedule does, once, now (or, dry, how much it would delete). */
export function registerPrune(program: Command, run: Runner): void {
  program
    .command('prune')
    .description('delete expired published outbox rows, processed event ids and idempotency keys now, in small batches')
    .option('--dry-run', 'count what would be deleted, delete nothing')
    .action(
      run(async (ctx: CliContext, options: { dryRun?: boolean }) => {
        const config = ctx.config('retention');
        const rules = [
          outboxRetention(config.OUTBOX_RETENTION_HOURS),
          processedEventsRetention(config.PROCESSED_EVENT_RETENTION_HOURS),
          idempotencyKeysRetention(config.IDEMPOTENCY_KEY_RETENTION_HOURS),
        ];
        const db = ctx.db();
        const counts = options.dryRun
          ? Object.fromEntries(await Promise.all(rules.map(async (r) => [r.table, await countExpired(db, r)] as const)))
          : await pruneExpired({ db, rules, batchSize: config.RETENTION_BATCH_SIZE });
        const verb = options.dryRun ? 'would delete' : 'deleted';
        ctx.output.result({ dryRun: !!options.dryRun, [options.dryRun ? 'expired' : 'deleted']: counts }, () =>
          table(Object.entries(counts).map(([t, n]) => [t, `${verb} ${n}`])),
        );
        return ExitCode.ok;
      }),
    );
}
