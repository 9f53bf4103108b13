import type { Command } from 'commander';
import {
  listDlqEntries,
  matchesDlqFilter,
  purgeDlq,
  replayDlq,
  type DlqEntry,
  type DlqFilter,
} from '@customer-sync/kafka';
import { redact, redactText } from '@customer-sync/logger';
import type { CliContext } from '../cli-context';
import { ExitCode, table, UsageError } from '../output';
import type { Runner } from '../program';

interface FilterOptions {
  key?: string;
  error?: string;
  id?: string[];
  all?: boolean;
  dryRun?: boolean;
  limit?: string;
}

const ID = /^\d+:\d+$/;

function filterOf(options: FilterOptions): DlqFilter {
  for (const id of options.id ?? [])
    if (!ID.test(id))
      throw new UsageError(`"${id}" is not a DLQ message id (<partition>:<offset>, as \`dlq list\` prints)`);
  return { key: options.key, error: options.error, ids: options.id };
}

/** An entry as printed: no payload, the error with secrets and emails masked. */
const summary = (e: DlqEntry) => ({
  id: e.id,
  key: e.key,
  error: redactText(e.error),
  attempts: e.attempts,
  failedAt: e.failedAt,
  source: e.source,
  truncated: e.truncated,
});

/** The whole entry; its payload redacted (emails and secrets never reach a terminal). */
function detail(e: DlqEntry) {
  let value: unknown = e.value?.toString() ?? null;
  try {
    value = JSON.parse(String(value));
  } catch {
    // not JSON: shown as text
  }
  return { ...summary(e), headers: redact(e.headers), value: redact(value) };
}

const listText = (entries: ReturnType<typeof summary>[]) =>
  entries.length === 0
    ? 'no dead letters waiting'
    : table([
        ['id', 'key', 'attempts', 'failed at', 'error'],
        ...entries.map((e) => [e.id, e.key ?? '', e.attempts, e.failedAt ?? '', e.error.slice(0, 80)]),
      ]);

const filterFlags = (command: Command) =>
  command
    .option('--key <key>', 'only messages with this key (our customer id, or the Stripe customer id on stripe.events)')
    .option('--error <text>', 'only messages whose error contains this text (case-insensitive)');

/** The filter flags plus what a changing command (replay, purge) needs: ids, --all and --dry-run. */
const selectionFlags = (command: Command, dryRunWhat: string) =>
  filterFlags(command)
    .option('--id <id...>', 'these messages (<partition>:<offset>)')
    .option('--all', 'every waiting message')
    .option('--dry-run', `show what would be ${dryRunWhat}, change nothing`);

function requireSelection(options: FilterOptions): void {
  if (!options.all && !options.key && !options.error && !options.id?.length)
    throw new UsageError('say which messages: --id <partition:offset>, --key, --error, or --all');
}

/** `dlq list|show|replay|purge <topic>`: inspect dead letters and send them back or drop them. */
export function registerDlq(program: Command, run: Runner): void {
  const dlq = program
    .command('dlq')
    .description(
      'dead-letter topics: list, show, replay, purge (topic: customer.requested, customer.sync-results or stripe.events)',
    );

  filterFlags(dlq.command('list <topic>').description('messages waiting in <topic>.dlq, oldest first per partition'))
    .option('--limit <n>', 'at most this many', '100')
    .action(
      run(async (ctx: CliContext, topicName: string, options: FilterOptions) => {
        const limit = Number(options.limit);
        if (!Number.isInteger(limit) || limit < 1) throw new UsageError('--limit must be a positive integer');
        const filter = filterOf(options);
        const topic = ctx.topicArg(topicName);
        const entries = (await listDlqEntries(ctx.kafka(), await ctx.admin(), topic)).filter((e) =>
          matchesDlqFilter(e, filter),
        );
        ctx.output.result({ topic, total: entries.length, entries: entries.slice(0, limit).map(summary) }, (r) =>
          listText(r.entries),
        );
        return ExitCode.ok;
      }),
    );

  dlq
    .command('show <topic> <id>')
    .description('one waiting message in full (headers and payload, redacted); id as `dlq list` prints it')
    .action(
      run(async (ctx: CliContext, topicName: string, id: string) => {
        filterOf({ id: [id] });
        const topic = ctx.topicArg(topicName);
        const entry = (await listDlqEntries(ctx.kafka(), await ctx.admin(), topic)).find((e) => e.id === id);
        if (!entry) throw new Error(`no waiting message ${id} in ${topic}.dlq`);
        ctx.output.result(detail(entry), (d) => JSON.stringify(d, null, 2));
        return ExitCode.ok;
      }),
    );

  selectionFlags(
    dlq
      .command('replay <topic>')
      .description('publish waiting messages back to <topic> (all with --all, or those selected), once'),
    'replayed',
  ).action(
    run(async (ctx: CliContext, topicName: string, options: FilterOptions) => {
      requireSelection(options);
      const filter = filterOf(options);
      const topic = ctx.topicArg(topicName);
      const result = await replayDlq({
        kafka: ctx.kafka(),
        producer: await ctx.producer(),
        topic,
        logger: ctx.logger,
        filter,
        dryRun: options.dryRun,
      });
      const out = {
        topic,
        dryRun: !!options.dryRun,
        replayed: result.replayed,
        skippedTruncated: result.skippedTruncated,
        selected: result.entries.map(summary),
        skipped: result.skipped,
      };
      ctx.output.result(out, (r) =>
        [
          `${r.dryRun ? 'would replay' : 'replayed'} ${r.selected.length - r.skippedTruncated} message(s) from ${topic}.dlq to ${topic}; ${r.skipped} left waiting`,
          ...(r.skippedTruncated > 0
            ? [
                `${r.skippedTruncated} truncated copy(ies) not replayed: the originals are at their source (see \`dlq show\`)`,
              ]
            : []),
        ].join('\n'),
      );
      return ExitCode.ok;
    }),
  );

  selectionFlags(
    dlq
      .command('purge <topic>')
      .description('drop waiting messages (all with --all, or those selected) from <topic>.dlq'),
    'dropped',
  ).action(
    run(async (ctx: CliContext, topicName: string, options: FilterOptions) => {
      requireSelection(options);
      const filter = filterOf(options);
      const topic = ctx.topicArg(topicName);
      const result = await purgeDlq({ kafka: ctx.kafka(), topic, logger: ctx.logger, filter, dryRun: options.dryRun });
      const out = {
        topic,
        dryRun: !!options.dryRun,
        purged: result.purged,
        selected: result.entries.map(summary),
        skipped: result.skipped,
      };
      ctx.output.result(
        out,
        (r) =>
          `${r.dryRun ? 'would drop' : 'dropped'} ${r.selected.length} message(s) from ${topic}.dlq; ${r.skipped} left waiting`,
      );
      return ExitCode.ok;
    }),
  );
}
