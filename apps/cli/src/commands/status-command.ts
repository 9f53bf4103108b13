import type { Command } from 'commander';
import { countBySyncStatus, countUnpublished, oldestUnpublishedAgeSeconds } from '@customer-sync/customer-api-data';
import { ConsumerGroups, dlqDepth, readGroupLag, type PartitionLag } from '@customer-sync/kafka';
import type { CliContext } from '../cli-context';
import { ExitCode, table } from '../output';
import type { Runner } from '../program';

/** The system at a glance, as `status --json` prints it. */
export interface SystemStatus {
  consumers: { group: string; topic: string; lag: number; partitions: Omit<PartitionLag, 'topic'>[] }[];
  outbox: { unpublished: number; oldestAgeSeconds: number | null };
  customers: { pending: number; synced: number; failed: number };
  dlq: { topic: string; depth: number }[];
}

async function collectStatus(ctx: CliContext): Promise<SystemStatus> {
  const admin = await ctx.admin();
  const topics = ctx.topics();
  const consumers: SystemStatus['consumers'] = [];
  for (const [base, keys] of Object.entries(ConsumerGroups)) {
    const group = ctx.group(base);
    const lags = await readGroupLag(
      admin,
      group,
      keys.map((k) => topics[k]),
    );
    for (const key of keys) {
      const partitions = lags.filter((p) => p.topic === topics[key]).map(({ topic: _t, ...p }) => p);
      consumers.push({ group, topic: topics[key], lag: partitions.reduce((sum, p) => sum + p.lag, 0), partitions });
    }
  }
  const dlq = await Promise.all(
    Object.values(topics).map(async (topic) => ({ topic, depth: await dlqDepth(admin, topic) })),
  );
  const db = ctx.db();
  const [unpublished, oldestAgeSeconds, customers] = await Promise.all([
    countUnpublished(db),
    oldestUnpublishedAgeSeconds(db),
    countBySyncStatus(db),
  ]);
  return {
    consumers,
    outbox: { unpublished, oldestAgeSeconds: oldestAgeSeconds === null ? null : Math.round(oldestAgeSeconds) },
    customers,
    dlq,
  };
}

function describe(s: SystemStatus): string {
  const age = s.outbox.oldestAgeSeconds === null ? 'none waiting' : `oldest ${s.outbox.oldestAgeSeconds} s`;
  return [
    'consumer lag (from the broker)',
    table([['  group', 'topic', 'lag'], ...s.consumers.map((c) => [`  ${c.group}`, c.topic, c.lag])]),
    '',
    `outbox       ${s.outbox.unpublished} unpublished, ${age}`,
    `customers    pending ${s.customers.pending}, synced ${s.customers.synced}, failed ${s.customers.failed}`,
    'dead letters',
    table(s.dlq.map((d) => [`  ${d.topic}.dlq`, d.depth])),
  ].join('\n');
}

/** `status`: lag per group and topic, outbox backlog, customers by sync status, DLQ depths. */
export function registerStatus(program: Command, run: Runner): void {
  program
    .command('status')
    .description(
      'lag per consumer group and topic (read from the broker), outbox backlog and age, customers by sync status, DLQ depth per topic',
    )
    .action(
      run(async (ctx: CliContext) => {
        ctx.output.result(await collectStatus(ctx), describe);
        return ExitCode.ok;
      }),
    );
}
