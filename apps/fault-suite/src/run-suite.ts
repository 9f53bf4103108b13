import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { apiDriver } from './api-driver';
import { clearEmulatorFaults, runFaults } from './fault-runner';
import { planFaults } from './fault-plan';
import { checkInvariants, type InvariantResult } from './invariants';
import { Ledger } from './ledger';
import { planLoad } from './load-plan';
import { runLoad } from './load-runner';
import { poisonKey } from './poison-message';
import { formatReport } from './report';
import { seededRandom } from './seeded-random';
import { readSystemState } from './state-reader';
import { stripeDriver } from './stripe-driver';
import { API_KEY, STRIPE_KEY, startSystemUnderTest, type SystemUnderTest } from './system-under-test';

export interface SuiteOptions {
  seed: number;
  durationMs: number;
  apiCustomers: number;
  stripeCustomers: number;
  /** Longest wait for convergence after the load and the faults ended. */
  settleMs: number;
  /** Where the report and every service's log are written. */
  outDir: string;
  /** Poison with the largest message the topic accepts (its DLQ copy does not fit). */
  largePoison: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls the invariants until every one that can still change holds, or the settle time is up. */
async function settle(
  read: () => ReturnType<typeof readSystemState>,
  check: (state: Awaited<ReturnType<typeof readSystemState>>) => InvariantResult[],
  settleMs: number,
  log: (line: string) => void,
): Promise<boolean> {
  const deadline = Date.now() + settleMs;
  for (;;) {
    const state = await read().catch(
      (error) => void log(`reading the system failed (retrying): ${String(error).slice(0, 200)}`),
    );
    if (state && check(state).every((r) => !r.settles || r.violations.length === 0)) return true;
    if (Date.now() > deadline) return false;
    await sleep(2000);
  }
}

function deliveryStats(sut: SystemUnderTest) {
  const failed: Record<string, number> = {};
  for (const a of sut.emulator.account.delivery.attempts) {
    if (a.status !== null && a.status < 300) continue;
    const key = String(a.status ?? 'no answer');
    failed[key] = (failed[key] ?? 0) + 1;
  }
  return { attempts: sut.emulator.account.delivery.attempts.length, failed };
}

/**
 * One run: start the system, drive the seeded load while injecting the seeded faults, settle,
 * check the invariants and print the report. Resolves true when every invariant holds.
 */
export async function runSuite(options: SuiteOptions, log: (line: string) => void): Promise<boolean> {
  const wallStart = Date.now();
  const random = seededRandom(options.seed);
  const plan = planLoad(random, {
    durationMs: options.durationMs,
    apiCustomers: options.apiCustomers,
    stripeCustomers: options.stripeCustomers,
    seed: options.seed,
  });
  const faults = planFaults(random, options.durationMs);
  let loadStart = Date.now();
  const clock = () => Date.now() - loadStart;
  mkdirSync(options.outDir, { recursive: true });
  const sut = await startSystemUnderTest(clock, log);
  try {
    const ledger = new Ledger();
    const stripe = stripeDriver(sut.emulator.url, STRIPE_KEY);
    const api = apiDriver(sut.fleet.url('api-service'), API_KEY, () => ledger.retriedWithSameKey++);
    log(
      `system up after ${((Date.now() - wallStart) / 1000).toFixed(0)} s; load of ${plan.reduce((n, c) => n + c.ops.length, 0)} operations over ${options.durationMs / 1000} s with ${faults.length} faults`,
    );
    loadStart = Date.now();
    const [, faultRun] = await Promise.all([
      runLoad({ api, stripe, ledger, seed: options.seed, clock, opDeadlineMs: 120_000 }, plan),
      runFaults(sut, faults, { seed: options.seed, largePoison: options.largePoison }, clock, log),
    ]);
    const loadEndedAt = clock();
    await clearEmulatorFaults(sut);
    const lastFaultEndedAt = Math.max(...faultRun.injected.map((f) => f.endedAt));
    log(`load and faults done at t=${(loadEndedAt / 1000).toFixed(1)}s; settling (up to ${options.settleMs / 1000} s)`);
    const deps = { db: sut.db, stripe: stripe.stripe, kafka: sut.kafka, topics: sut.topics };
    const base = {
      ledger,
      poisonKey: poisonKey(options.seed),
      oversized: faultRun.oversized,
      fleetEvents: sut.fleet.events,
    };
    const converged = await settle(
      () => readSystemState(deps, false),
      (state) => checkInvariants({ ...base, state }),
      options.settleMs,
      log,
    );
    const convergedAt = converged ? clock() : undefined;
    const results = checkInvariants({ ...base, state: await readSystemState(deps, true) });
    const input = {
      seed: options.seed,
      ledger,
      faults: faultRun,
      fleetEvents: sut.fleet.events,
      deliveries: deliveryStats(sut),
      loadEndedAt,
      lastFaultEndedAt,
      convergedAt,
      settleMs: options.settleMs,
      results,
      wallSeconds: 0,
    };
    input.wallSeconds = (Date.now() - wallStart) / 1000;
    log(formatReport(input));
    writeFileSync(join(options.outDir, 'report.txt'), formatReport(input, true));
    writeFileSync(join(options.outDir, 'ledger.json'), JSON.stringify([...ledger.customers.values()], null, 2));
    return results.every((r) => r.violations.length === 0);
  } finally {
    await sut.stop(join(options.outDir, 'logs'));
    log(`logs and report in ${options.outDir} (total ${((Date.now() - wallStart) / 1000).toFixed(0)} s)`);
  }
}
