import { Presets, SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { driftCount, reconcile, type Drift, type ReconcileStats } from '@customer-sync/customer-writer';
import type { CliContext } from '../cli-context';
import { ExitCode, UsageError, type Output } from '../output';
import type { Runner } from '../program';

const MAX_LISTED = 1000;

/** A bar on a terminal; otherwise a line per page (stderr, so stdout stays the result). */
function progressOf(output: Output) {
  if (output.json || !output.isTerminal) {
    return {
      update: (s: ReconcileStats) =>
        output.note(
          `reconcile: scanned ${s.scanned}, inserted ${s.inserted}, updated ${s.updated}, unchanged ${s.unchanged}`,
        ),
      stop: () => undefined,
    };
  }
  const bar = new SingleBar(
    { format: 'reconcile {bar} {value} customers | +{inserted} ~{updated} ={unchanged}', stream: process.stderr },
    Presets.shades_classic,
  );
  bar.start(0, 0, { inserted: 0, updated: 0, unchanged: 0 });
  return {
    update: (s: ReconcileStats) => {
      bar.setTotal(s.scanned + 100);
      bar.update(s.scanned, { ...s });
    },
    stop: () => bar.stop(),
  };
}

const describe = (r: { dryRun: boolean; stats: ReconcileStats; drift: Drift[] }) =>
  [
    `reconcile${r.dryRun ? ' (dry run, nothing changed)' : ''}: scanned ${r.stats.scanned}, ` +
      `${r.dryRun ? 'missing' : 'inserted'} ${r.stats.inserted}, ${r.dryRun ? 'stale' : 'updated'} ${r.stats.updated}, ` +
      `${r.dryRun ? 'gone from Stripe' : 'marked deleted'} ${r.stats.deleted}, unchanged ${r.stats.unchanged}`,
    ...r.drift.map(
      (d) => `  ${d.kind.padEnd(8)} ${d.stripeCustomerId}${d.customerId ? ` (customer ${d.customerId})` : ''}`,
    ),
  ].join('\n');

/** `reconcile`: walks every Stripe customer and repairs the database; exit 3 when it found drift. */
export function registerReconcile(program: Command, run: Runner): void {
  program
    .command('reconcile')
    .description(
      'compare every Stripe customer with the database and repair the differences (exit 3 when there were any)',
    )
    .option('--dry-run', 'print the drift without fixing it')
    .option('--page-size <n>', 'Stripe customers per page (1-100)', '100')
    .action(
      run(async (ctx: CliContext, options: { dryRun?: boolean; pageSize: string }) => {
        const pageSize = Number(options.pageSize);
        if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100)
          throw new UsageError('--page-size must be an integer from 1 to 100');
        const drift: Drift[] = [];
        const progress = progressOf(ctx.output);
        try {
          const stats = await reconcile({
            db: ctx.db(),
            stripe: ctx.stripe(),
            logger: ctx.logger,
            pageSize,
            dryRun: options.dryRun,
            onProgress: progress.update,
            onDrift: (d) => void (drift.length < MAX_LISTED && drift.push(d)),
          });
          progress.stop();
          ctx.output.result({ dryRun: !!options.dryRun, stats, drift }, describe);
          return driftCount(stats) > 0 ? ExitCode.drift : ExitCode.ok;
        } finally {
          progress.stop();
        }
      }),
    );
}
