import type { FaultRun } from './fault-runner';
import type { InvariantResult } from './invariants';
import type { Ledger } from './ledger';
import type { FleetEvent } from './service-fleet';

export interface ReportInput {
  seed: number;
  ledger: Ledger;
  faults: FaultRun;
  fleetEvents: FleetEvent[];
  deliveries: { attempts: number; failed: Record<string, number> };
  loadEndedAt: number;
  lastFaultEndedAt: number;
  convergedAt?: number;
  settleMs: number;
  results: InvariantResult[];
  wallSeconds: number;
}

const s = (ms: number) => `${(ms / 1000).toFixed(1)}s`;
const MAX_LINES = 30;

function invariantLines(r: InvariantResult, full: boolean): string[] {
  const ok = r.violations.length === 0;
  const lines = [
    `  ${ok ? 'PASS' : 'FAIL'} ${r.id} ${r.title} (checked ${r.checked}${ok ? '' : `, ${r.violations.length} violations`})`,
  ];
  const shown = full ? r.violations : r.violations.slice(0, MAX_LINES);
  lines.push(...shown.map((v) => `       - ${v}`));
  if (shown.length < r.violations.length)
    lines.push(`       … ${r.violations.length - shown.length} more in report.txt`);
  lines.push(...r.explained.map((e) => `       (explained) ${e}`));
  return lines;
}

/** The report: the seed to replay, the load, the faults as injected, convergence and every invariant's verdict. */
export function formatReport(input: ReportInput, full = false): string {
  const { ledger } = input;
  const counts = Object.entries(ledger.counts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, n]) => `${k}: ${n}`)
    .join(', ');
  const failed = input.results.filter((r) => r.violations.length > 0);
  const convergence =
    input.convergedAt === undefined
      ? `NOT converged within ${s(input.settleMs)} of settling`
      : `converged at t=${s(input.convergedAt)}: ${s(Math.max(0, input.convergedAt - input.lastFaultEndedAt))} after the last fault, ${s(Math.max(0, input.convergedAt - input.loadEndedAt))} after the last operation`;
  return [
    '',
    '=== fault suite report ===',
    `seed ${input.seed}   replay: npm run test:faults -- --seed ${input.seed}   wall time ${input.wallSeconds.toFixed(0)} s`,
    `operations (answer: count): ${counts}`,
    `API requests sent again with the same Idempotency-Key after no answer or a 5xx: ${ledger.retriedWithSameKey}`,
    'faults (t from the start of the load):',
    ...input.faults.injected.map((f) => `  t=${s(f.startedAt)}–${s(f.endedAt)} ${f.kind.padEnd(28)} ${f.detail}`),
    ...input.fleetEvents.map((e) => `  t=${s(e.at)} ${e.service}: ${e.what}`),
    `webhook delivery attempts: ${input.deliveries.attempts}; failed attempts (retried by the emulator): ${JSON.stringify(input.deliveries.failed)}`,
    `last fault ended t=${s(input.lastFaultEndedAt)}, last operation t=${s(input.loadEndedAt)}; ${convergence}`,
    'invariants:',
    ...input.results.flatMap((r) => invariantLines(r, full)),
    failed.length ? `RESULT: FAIL (${failed.map((r) => r.id).join(', ')} violated)` : 'RESULT: PASS',
    '',
  ].join('\n');
}
