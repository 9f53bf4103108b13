// A benchmark's shape and the one loop every benchmark runs: baseline and system in alternating
// rounds, a progress bar meanwhile, then medians, the ratio and the verdicts.
import { SingleBar, Presets } from 'cli-progress';
import type { Stack } from './stack';
import { medians, ratio, verdicts, type Check, type Metrics, type Verdict } from './stats';

export interface RunOptions {
  /** Tiny loads and one round each: checks the wiring, not the speed. */
  quick: boolean;
  /** Rounds of each side (default 3; 1 with --quick). */
  rounds: number;
  /** Multiplies every full-size load (counts and durations); 1 = the sizes the issue names. */
  scale: number;
}

/** A load size: `quick` with --quick, else `full` times the scale, and at least `min`. */
export const sized = (options: RunOptions, full: number, quick: number, min = 1): number =>
  options.quick ? quick : Math.max(min, Math.round(full * options.scale));

export interface BenchContext extends RunOptions {
  stack: Stack;
  /** Moves the progress bar's label (what the round is doing now). */
  status(text: string): void;
}

export interface Benchmark<S = unknown> {
  name: string;
  /** What is measured, one sentence. */
  description: string;
  /** What the baseline is, one sentence. */
  baselineDescription: string;
  /** The metric whose system/baseline median is the ratio. */
  headline: string;
  /** For the headline: larger is better (throughput) or smaller is better (CPU, memory). */
  higherIsBetter: boolean;
  checks: Check[];
  setup(ctx: BenchContext): Promise<S>;
  system(ctx: BenchContext, state: S, round: number): Promise<Metrics>;
  baseline(ctx: BenchContext, state: S, round: number): Promise<Metrics>;
  teardown(state: S): Promise<void>;
}

export interface RoundRecord {
  round: number;
  side: 'system' | 'baseline';
  startedAt: string;
  metrics: Metrics;
}

export interface Outcome {
  rounds: RoundRecord[];
  medians: { system: Metrics; baseline: Metrics };
  ratio: number;
  verdicts: Verdict[];
  met: boolean;
}

/** Runs the rounds (round 1 baseline first, then alternating) and reduces them to the outcome. */
export async function runRounds<S>(bench: Benchmark<S>, options: RunOptions & { stack: Stack }): Promise<Outcome> {
  const bar = new SingleBar(
    {
      format: `${bench.name.padEnd(15)} {bar} {value}/{total} rounds | {step}`,
      hideCursor: true,
      clearOnComplete: true,
    },
    Presets.shades_classic,
  );
  bar.start(options.rounds * 2, 0, { step: 'setting up' });
  const ctx: BenchContext = { ...options, status: (step) => bar.update({ step }) };
  const records: RoundRecord[] = [];
  const state = await bench.setup(ctx);
  try {
    for (let round = 1; round <= options.rounds; round++) {
      const order: Array<'system' | 'baseline'> = round % 2 ? ['baseline', 'system'] : ['system', 'baseline'];
      for (const side of order) {
        bar.update({ step: `round ${round}: ${side}` });
        const startedAt = new Date().toISOString();
        const metrics = await bench[side](ctx, state, round);
        records.push({ round, side, startedAt, metrics });
        bar.increment();
      }
    }
  } finally {
    bar.update({ step: 'tearing down' });
    await bench.teardown(state).finally(() => bar.stop());
  }
  const system = medians(records.filter((r) => r.side === 'system').map((r) => r.metrics));
  const baseline = medians(records.filter((r) => r.side === 'baseline').map((r) => r.metrics));
  const r = ratio(system[bench.headline] ?? NaN, baseline[bench.headline] ?? NaN);
  const results = verdicts(bench.checks, system, r);
  return {
    rounds: records,
    medians: { system, baseline },
    ratio: r,
    verdicts: results,
    met: results.every((v) => v.met),
  };
}
