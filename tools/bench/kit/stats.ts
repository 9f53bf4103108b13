// Pure arithmetic of the suite: medians over rounds, the system/baseline ratio and target verdicts.

/** One round's measurements, by metric name (units in the name, e.g. `events/s`, `p99 ms`). */
export type Metrics = Record<string, number>;

/** A target a benchmark states: a metric of the system's medians (or the ratio) against a bound. */
export interface Check {
  /** What people read, e.g. `≥ 8,000 events/s`. */
  label: string;
  /** A metric of the system's medians, or `ratio`. */
  metric: string;
  op: '>=' | '<=';
  value: number;
}

export interface Verdict extends Check {
  /** The measured median (or ratio); NaN when it was not measured. */
  measured: number;
  met: boolean;
}

/** The median of the values (the mean of the middle two for an even count); NaN for none. */
export function median(values: number[]): number {
  const finite = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (finite.length === 0) return NaN;
  const mid = finite.length >> 1;
  return finite.length % 2 ? finite[mid]! : (finite[mid - 1]! + finite[mid]!) / 2;
}

/** The 99th percentile (nearest rank, rounded down) of values already sorted ascending; NaN for none. */
export const p99 = (sorted: number[]): number => sorted[Math.floor(sorted.length * 0.99)] ?? NaN;

/** Per metric, the median over rounds. */
export function medians(rounds: Metrics[]): Metrics {
  const names = [...new Set(rounds.flatMap((r) => Object.keys(r)))];
  return Object.fromEntries(names.map((name) => [name, median(rounds.map((r) => r[name] ?? NaN))]));
}

/** system / baseline, rounded to two decimals; NaN when either is missing or the baseline is 0. */
export function ratio(system: number, baseline: number): number {
  if (!Number.isFinite(system) || !Number.isFinite(baseline) || baseline === 0) return NaN;
  return Math.round((system / baseline) * 100) / 100;
}

/** Each check against the system's medians (and the ratio); an unmeasured value never passes. */
export function verdicts(checks: Check[], system: Metrics, systemRatio: number): Verdict[] {
  return checks.map((check) => {
    const measured = check.metric === 'ratio' ? systemRatio : (system[check.metric] ?? NaN);
    const met = Number.isFinite(measured) && (check.op === '>=' ? measured >= check.value : measured <= check.value);
    return { ...check, measured, met };
  });
}

/** Growth over the second half of a series of readings, in % of the reading half-way; NaN for fewer than 2. */
export function secondHalfGrowth(readings: number[]): number {
  if (readings.length < 2) return NaN;
  const half = readings[Math.floor((readings.length - 1) / 2)]!;
  return Math.round(((readings.at(-1)! - half) / half) * 1000) / 10;
}
