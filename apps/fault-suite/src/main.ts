import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { runSuite } from './run-suite';
import { newSeed } from './seeded-random';

const integer = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a non-negative integer');
  return n;
};

const program = new Command('test:faults')
  .description(
    'Drives a seeded mixed load while injecting faults into a system of its own, then checks the invariants (docs/fault-suite.md).',
  )
  .option('--seed <n>', 'replay the run of this seed (printed by every run)', integer)
  .option('--duration <s>', 'length of the load phase in seconds', integer, 75)
  .option('--api-customers <n>', 'customers created through the API', integer, 40)
  .option('--stripe-customers <n>', 'customers created in Stripe', integer, 15)
  .option('--settle <s>', 'longest wait for convergence after the last fault and operation', integer, 60)
  .option('--large-poison', 'poison with the largest message the topic accepts, so its DLQ copy does not fit')
  .option('--out <dir>', 'where the report and service logs go (default .local/faults/<seed>-<time>)')
  .parse();

async function main(): Promise<number> {
  const o = program.opts<{
    seed?: number;
    duration: number;
    apiCustomers: number;
    stripeCustomers: number;
    settle: number;
    out?: string;
    largePoison?: boolean;
  }>();
  const seed = o.seed ?? newSeed();
  const log = (line: string) => console.log(`[faults ${new Date().toISOString().slice(11, 19)}] ${line}`);
  log(`seed ${seed} (replay with: npm run test:faults -- --seed ${seed})`);
  const outDir =
    o.out ?? join(__dirname, '../../../.local/faults', `${seed}-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  const passed = await runSuite(
    {
      seed,
      durationMs: o.duration * 1000,
      apiCustomers: o.apiCustomers,
      stripeCustomers: o.stripeCustomers,
      settleMs: o.settle * 1000,
      outDir,
      largePoison: o.largePoison === true,
    },
    log,
  );
  return passed ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(
      `fault suite could not run: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    process.exit(2);
  },
);
