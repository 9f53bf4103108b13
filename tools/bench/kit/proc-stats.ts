// What the suite reads from /proc: CPU time and resident memory of processes it does not own.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** utime + stime of a process in seconds (from /proc/<pid>/stat); NaN once it has exited. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces: fields are counted after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}

/** A `Vm…` line of /proc/<pid>/status in MiB (VmRSS now, VmHWM the peak); NaN once it has exited. */
export function memoryMiB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Math.round(Number(match[1]) / 102.4) / 10 : NaN;
  } catch {
    return NaN;
  }
}

/**
 * CPU seconds spent by a changing set of processes between start() and stop(): it samples the set
 * every `intervalMs`, so a process that starts (a new PostgreSQL backend) counts from 0 and one that
 * exits keeps its last reading.
 */
export function cpuMeter(pids: () => Promise<number[]>, intervalMs = 250) {
  const first = new Map<number, number>();
  const last = new Map<number, number>();
  let timer: NodeJS.Timeout | undefined;
  const sample = async (isFirst: boolean) => {
    for (const pid of await pids()) {
      const seconds = cpuSeconds(pid);
      if (!Number.isFinite(seconds)) continue;
      if (!first.has(pid)) first.set(pid, isFirst ? seconds : 0);
      last.set(pid, seconds);
    }
  };
  return {
    async start() {
      await sample(true);
      timer = setInterval(() => void sample(false).catch(() => undefined), intervalMs);
    },
    /** Stops sampling and returns the CPU seconds used since start(), by pid. */
    async stop(): Promise<Map<number, number>> {
      clearInterval(timer);
      await sample(false);
      return new Map([...last].map(([pid, seconds]) => [pid, seconds - (first.get(pid) ?? 0)]));
    },
  };
}

/** Samples a process's RSS every `intervalMs` until stopped; returns the readings in MiB. */
export function rssSampler(pid: number, intervalMs = 500) {
  const readings: number[] = [];
  const timer = setInterval(() => {
    const mib = memoryMiB(pid, 'VmRSS');
    if (Number.isFinite(mib)) readings.push(mib);
  }, intervalMs);
  return {
    stop(): number[] {
      clearInterval(timer);
      return readings;
    },
  };
}
