// What a benchmark leaves behind: a table on the terminal and bench/results/<name>.json.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import type { Benchmark, Outcome, RunOptions } from './benchmark';
import { ROOT } from './processes';

/** The machine as the run found it; `note` says what else ran on it. */
export function machineFacts(note: string | undefined) {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model ?? 'unknown',
    cpus: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
    kernel: os.release(),
    node: process.version,
    note: note ?? null,
  };
}

/** The commit the run measured, with `-dirty` when the tree had changes. */
export function gitCommit(): string {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT }).toString().trim();
  try {
    return git('rev-parse', 'HEAD') + (git('status', '--porcelain', '--untracked-files=no') ? '-dirty' : '');
  } catch {
    return 'unknown';
  }
}

const fmt = (n: number | undefined) =>
  n === undefined || !Number.isFinite(n)
    ? '—'
    : n >= 100
      ? Math.round(n).toLocaleString('en-US')
      : String(Math.round(n * 100) / 100);

/** Medians side by side, then each target with its verdict. */
export function printTable(bench: Benchmark<never>, outcome: Outcome): void {
  const { system, baseline } = outcome.medians;
  const names = [...new Set([...Object.keys(system), ...Object.keys(baseline)])];
  const width = Math.max(24, ...names.map((n) => n.length + 2));
  console.log(`\n== ${bench.name}: ${bench.description}`);
  console.log(`   baseline: ${bench.baselineDescription}`);
  console.log(`   ${'median of rounds'.padEnd(width)}${'system'.padStart(12)}${'baseline'.padStart(12)}`);
  for (const name of names)
    console.log(`   ${name.padEnd(width)}${fmt(system[name]).padStart(12)}${fmt(baseline[name]).padStart(12)}`);
  console.log(`   ratio (${bench.headline}, system/baseline): ${fmt(outcome.ratio)}`);
  for (const v of outcome.verdicts)
    console.log(`   ${v.met ? 'MET    ' : 'MISSED '} ${v.label} (measured ${fmt(v.measured)})`);
  console.log(`   target ${outcome.met ? 'met' : 'not met'}`);
}

/** Writes bench/results/<name>.json; returns its path. */
export function writeResult(
  bench: Benchmark<never>,
  outcome: Outcome,
  options: RunOptions & { note?: string; startedAt: string },
): string {
  const dir = join(ROOT, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${bench.name}.json`);
  const result = {
    benchmark: bench.name,
    description: bench.description,
    baseline: bench.baselineDescription,
    headline: bench.headline,
    higherIsBetter: bench.higherIsBetter,
    commit: gitCommit(),
    startedAt: options.startedAt,
    finishedAt: new Date().toISOString(),
    options: { quick: options.quick, rounds: options.rounds, scale: options.scale },
    machine: machineFacts(options.note),
    targets: outcome.verdicts,
    met: outcome.met,
    medians: outcome.medians,
    ratio: outcome.ratio,
    rounds: outcome.rounds,
  };
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}
