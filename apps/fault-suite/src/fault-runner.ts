import { connect } from 'node:net';
import { emulatorControl } from '@customer-sync/stripe-emulator-core';
import type { PlannedFault } from './fault-plan';
import { postOversizedWebhook, type OversizedOutcome } from './oversized-webhook';
import { publishPoisonMessage } from './poison-message';
import type { SystemUnderTest } from './system-under-test';
import { WEBHOOK_SECRET } from './system-under-test';

/** A fault as it happened: planned start, real start and end (ms from the start of the load). */
export interface InjectedFault {
  kind: string;
  startedAt: number;
  endedAt: number;
  detail: string;
}

export interface FaultRun {
  injected: InjectedFault[];
  /** Every answer the oversized webhook got, first to last. */
  oversized?: OversizedOutcome[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const answers = (host: string, port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect({ host, port, timeout: 1000 }, () => {
      socket.end();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });

/**
 * Starts the suite's broker again and waits until it answers; a start that fails (on a loaded
 * machine the JVM can miss the script's deadline) is retried, as an operator would. Resolves the attempts.
 */
async function startBrokerUntilUp(sut: SystemUnderTest): Promise<number> {
  const [host, port] = sut.broker.brokers.split(':') as [string, string];
  const deadline = Date.now() + 240_000;
  for (let attempt = 1; ; attempt++) {
    await sut.broker.start().catch(() => undefined);
    const attemptEnd = Math.min(deadline, Date.now() + 60_000);
    while (Date.now() < attemptEnd && !(await answers(host, Number(port)))) await sleep(1000);
    if (await answers(host, Number(port))) return attempt;
    if (Date.now() > deadline) throw new Error(`the broker did not come back within 240 s (${attempt} attempts)`);
  }
}

/** How faults are injected: the seed marks the poisoned message and the oversized webhook. */
export interface InjectOptions {
  seed: number;
  /** Poison with the largest message the topic accepts, so its DLQ copy does not fit. */
  largePoison: boolean;
}

async function inject(
  sut: SystemUnderTest,
  fault: PlannedFault,
  options: InjectOptions,
  clock: () => number,
  run: FaultRun,
): Promise<string> {
  const { seed } = options;
  const control = (path: string, body: unknown) => emulatorControl(sut.emulator, path, body);
  if (fault.kind.startsWith('kill:')) {
    const name = fault.kind.slice(5) as Parameters<typeof sut.fleet.kill>[0];
    await sut.fleet.kill(name);
    await sleep(fault.holdMs);
    await sut.fleet.start(name);
    return `SIGKILL, down ${fault.holdMs} ms, restarted`;
  }
  switch (fault.kind) {
    case 'broker-restart': {
      // A crash: a graceful stop of this single-node KRaft broker hangs until kafka.sh's kill -9 after 30 s anyway.
      await sut.broker.kill();
      await sleep(fault.holdMs);
      const attempts = await startBrokerUntilUp(sut);
      return `SIGKILL of the broker JVM, down ${fault.holdMs} ms, started${attempts > 1 ? ` (on attempt ${attempts})` : ''}`;
    }
    case 'postgres-restart':
      await sut.postgres.restart(fault.holdMs);
      return `pg_ctl stop -m fast, down ${fault.holdMs} ms, started`;
    case 'stripe-429-500-burst':
      await control('faults', { rate429: 0.3, rate500: 0.2 });
      await sleep(fault.holdMs);
      await control('faults', { rate429: 0, rate500: 0 });
      return `30 % 429 and 20 % 500 for ${fault.holdMs} ms`;
    case 'duplicate-delivery':
      await control('delivery', { duplicates: 2 });
      await sleep(fault.holdMs);
      await control('delivery', { duplicates: 0 });
      return `every event delivered 3 times for ${fault.holdMs} ms`;
    case 'out-of-order-delivery': {
      await control('delivery', { outOfOrder: true });
      const end = Date.now() + fault.holdMs;
      while (Date.now() < end) {
        await sleep(1500);
        await control('delivery/flush', {});
      }
      await control('delivery', { outOfOrder: false });
      return `held and delivered newest first every 1.5 s for ${fault.holdMs} ms`;
    }
    case 'paused-delivery': {
      await control('delivery', { paused: true });
      await sleep(fault.holdMs);
      await control('delivery', { paused: false });
      return `paused for ${fault.holdMs} ms, then resumed (the oversized webhook is posted as the backlog is released)`;
    }
    case 'oversized-webhook': {
      const end = Date.now() + fault.holdMs;
      const answers: OversizedOutcome[] = [];
      do {
        if (answers.length) await sleep(3000);
        answers.push(await postOversizedWebhook(sut.fleet.url('webhook-ingress'), WEBHOOK_SECRET, seed, clock()));
      } while ((answers.at(-1)!.status ?? 500) >= 500 && Date.now() < end);
      run.oversized = answers;
      return `${answers[0]!.bytes} bytes, posted ${answers.length} times (re-posted every 3 s while 5xx, as Stripe retries); answers: ${answers.map((a) => a.status).join(' ')}`;
    }
    case 'poison-message': {
      const bytes = await publishPoisonMessage(sut.kafka, sut.topics.stripeEvents, seed, options.largePoison);
      return `unparseable ${bytes}-byte message with key fault-suite-poison-${seed} on ${sut.topics.stripeEvents}`;
    }
    default:
      throw new Error(`unknown fault ${fault.kind}`);
  }
}

/** Injects every planned fault at its time (faults may overlap), recording when each really began and ended. */
export async function runFaults(
  sut: SystemUnderTest,
  faults: PlannedFault[],
  options: InjectOptions,
  clock: () => number,
  log: (line: string) => void,
): Promise<FaultRun> {
  const run: FaultRun = { injected: [] };
  await Promise.all(
    faults.map(async (fault) => {
      const wait = fault.at - clock();
      if (wait > 0) await sleep(wait);
      const startedAt = clock();
      log(`t=${(startedAt / 1000).toFixed(1)}s fault ${fault.kind}`);
      let detail: string;
      try {
        detail = await inject(sut, fault, options, clock, run);
      } catch (error) {
        detail = `INJECTION FAILED: ${String(error).slice(0, 300)}`;
      }
      run.injected.push({ kind: fault.kind, startedAt, endedAt: clock(), detail });
    }),
  );
  run.injected.sort((a, b) => a.startedAt - b.startedAt);
  return run;
}

/** Turns every emulator fault and delivery control off and releases held deliveries, before settling. */
export async function clearEmulatorFaults(sut: SystemUnderTest): Promise<void> {
  await emulatorControl(sut.emulator, 'faults', {
    rate429: 0,
    rate500: 0,
    failNext: 0,
    latencyMs: 0,
    responseDelayMs: 0,
  });
  await emulatorControl(sut.emulator, 'delivery', { paused: false, outOfOrder: false, duplicates: 0 });
  await emulatorControl(sut.emulator, 'delivery/flush', {});
}
