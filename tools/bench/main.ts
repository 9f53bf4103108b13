// `npm run bench [-- <name>...] [--quick] [--rounds n] [--scale f] [--note text] [--cpu-prof dir]`: the suite.
import { Command } from 'commander';
import type { Benchmark } from './kit/benchmark';
import { runRounds } from './kit/benchmark';
import { nodeFlags } from './kit/processes';
import { printTable, writeResult } from './kit/report';
import { startStack } from './kit/stack';
import { api } from './benchmarks/api';
import { drain } from './benchmarks/drain';
import { endToEnd } from './benchmarks/end-to-end';
import { ingress } from './benchmarks/ingress';
import { memory } from './benchmarks/memory';
import { webhookToRow } from './benchmarks/webhook-to-row';
import { worker } from './benchmarks/worker';

/** In the order `npm run bench` runs them; memory last, as it reports the peaks of the runs above. */
const SUITE = [ingress, drain, api, worker, webhookToRow, endToEnd, memory] as Benchmark<never>[];

async function main(): Promise<void> {
  const program = new Command('bench')
    .argument('[names...]', `benchmarks to run (${SUITE.map((b) => b.name).join(', ')}); all when none`)
    .option('--quick', 'tiny loads, one round each: checks the wiring only', false)
    .option('--rounds <n>', 'rounds of each side (default 3, 1 with --quick)')
    .option('--scale <factor>', 'multiplies every full-size load (counts, durations)', '1')
    .option('--note <text>', 'what else ran on the machine, saved in the results')
    .option('--cpu-prof <dir>', 'profile every service (node --cpu-prof) into this directory')
    .parse();
  const names = program.args;
  const opts = program.opts<{ quick: boolean; rounds?: string; scale: string; note?: string; cpuProf?: string }>();
  const unknown = names.filter((n) => !SUITE.some((b) => b.name === n));
  if (unknown.length)
    throw new Error(`unknown benchmark ${unknown.join(', ')}; one of ${SUITE.map((b) => b.name).join(', ')}`);
  const chosen = names.length ? SUITE.filter((b) => names.includes(b.name)) : SUITE;
  const rounds = opts.rounds ? Number(opts.rounds) : opts.quick ? 1 : 3;
  const scale = Number(opts.scale);
  if (!(rounds >= 1 && scale > 0)) throw new Error('--rounds must be 1 or more and --scale above 0');
  if (opts.cpuProf) nodeFlags.push('--cpu-prof', `--cpu-prof-dir=${opts.cpuProf}`);

  const stack = await startStack();
  const summary: string[] = [];
  try {
    for (const bench of chosen) {
      const startedAt = new Date().toISOString();
      const outcome = await runRounds(bench, { quick: opts.quick, rounds, scale, stack });
      printTable(bench, outcome);
      const file = writeResult(bench, outcome, { quick: opts.quick, rounds, scale, note: opts.note, startedAt });
      summary.push(`${bench.name.padEnd(15)} ${outcome.met ? 'target met    ' : 'target not met'}  ${file}`);
    }
  } finally {
    await stack.close();
  }
  console.log(`\n${summary.join('\n')}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
