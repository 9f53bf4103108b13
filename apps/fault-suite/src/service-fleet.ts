import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServiceProcess, type ServiceProcess } from '@customer-sync/testing';
import { SERVICE_NAMES, type ServiceName } from './fault-plan';

/** Something the fleet saw happen to a service, for the report. */
export interface FleetEvent {
  at: number;
  service: ServiceName;
  what: string;
}

export interface ServiceFleet {
  url(name: ServiceName): string;
  /** SIGKILL (no shutdown hook runs), then waits for the exit. */
  kill(name: ServiceName): Promise<void>;
  /** Starts the service as `npm run up` does (node --import tsx its main.ts), retrying until its /ready answers 200. */
  start(name: ServiceName): Promise<void>;
  /** Start failures, and exits the fleet did not cause after the service was ready (crashes); each was restarted, as an orchestrator would. */
  events: FleetEvent[];
  /** SIGTERM to every service, waiting for each to drain. */
  stopAll(): Promise<void>;
  /** Writes every process's output (killed ones too) to `<dir>/<service>.<n>.log`. */
  writeLogs(dir: string): void;
}

/** A service cannot start while Kafka is down (by design); a broker restart on a loaded machine can take minutes. */
const START_DEADLINE_MS = 300_000;

/** Waits for `/ready` to answer 200; throws if the process exits first or the deadline passes. */
async function untilReady(url: string, proc: ServiceProcess, deadline: number): Promise<void> {
  for (;;) {
    if (proc.child.exitCode !== null || proc.child.signalCode !== null)
      throw new Error(`${proc.name} exited before it was ready: ${proc.output().slice(-300)}`);
    const status = await fetch(`${url}/ready`, { signal: AbortSignal.timeout(2000) }).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return;
    if (Date.now() > deadline) {
      await proc.kill();
      throw new Error(`${proc.name} not ready by the deadline`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * The four services as separate processes on fixed ports (the emulator's webhook endpoint and the
 * load's API client keep working across restarts). A service that exits by itself is restarted.
 */
export function serviceFleet(
  env: Record<string, string>,
  ports: Record<ServiceName, number>,
  clock: () => number,
): ServiceFleet {
  const running = new Map<ServiceName, ServiceProcess>();
  const expectedExit = new Set<ServiceProcess>();
  const all: ServiceProcess[] = [];
  const events: FleetEvent[] = [];
  let stopping = false;

  const supervise = (name: ServiceName, proc: ServiceProcess) => {
    proc.child.once('exit', (code, signal) => {
      if (expectedExit.has(proc) || stopping) return;
      events.push({ at: clock(), service: name, what: `exited by itself (code ${code}, signal ${signal}); restarted` });
      running.delete(name);
      void new Promise((r) => setTimeout(r, 1000))
        .then(() => (stopping ? undefined : fleet.start(name)))
        .catch((error) =>
          events.push({ at: clock(), service: name, what: `could not be restarted: ${String(error).slice(0, 200)}` }),
        );
    });
  };

  const fleet: ServiceFleet = {
    url: (name) => `http://127.0.0.1:${ports[name]}`,
    events,
    async kill(name) {
      const proc = running.get(name);
      if (!proc) return;
      expectedExit.add(proc);
      running.delete(name);
      await proc.kill();
    },
    async start(name) {
      const deadline = Date.now() + START_DEADLINE_MS;
      for (let attempt = 1; ; attempt++) {
        try {
          const proc = await startServiceProcess(name, env, ports[name]);
          all.push(proc);
          // Started means ready: a service that exits before (e.g. Kafka unreachable at start, fatal by design) failed its start.
          await untilReady(fleet.url(name), proc, deadline);
          running.set(name, proc);
          supervise(name, proc);
          if (attempt > 1) events.push({ at: clock(), service: name, what: `started on attempt ${attempt}` });
          return;
        } catch (error) {
          if (Date.now() > deadline) throw error;
          events.push({ at: clock(), service: name, what: `start failed (${String(error).slice(0, 160)}); retrying` });
          await new Promise((r) => setTimeout(r, 1000));
        }
      }
    },
    async stopAll() {
      stopping = true;
      await Promise.all([...running.values()].map((proc) => proc.stop()));
      running.clear();
    },
    writeLogs(dir) {
      mkdirSync(dir, { recursive: true });
      const counts = new Map<string, number>();
      for (const proc of all) {
        const n = (counts.get(proc.name) ?? 0) + 1;
        counts.set(proc.name, n);
        writeFileSync(join(dir, `${proc.name}.${n}.log`), proc.output());
      }
    },
  };
  return fleet;
}

export { SERVICE_NAMES };
