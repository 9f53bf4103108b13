import { spawn, type ChildProcess } from 'node:child_process';
import autocannon from 'autocannon';
import { z } from 'zod';
import { loadConfig } from '@customer-sync/config';
import { freePort, waitFor } from '@customer-sync/testing';

/** BENCH_DURATION_S: seconds per measured run (default 10). */
export const benchDurationSeconds = () => loadConfig(z.object({ BENCH_DURATION_S: z.coerce.number().int().positive().default(10) })).BENCH_DURATION_S;

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

/** A bounded load from this process to a server on loopback (autocannon). */
export async function load(options: autocannon.Options): Promise<LoadResult> {
  const result = await autocannon({ connections: 50, duration: 10, ...options });
  return { rps: Math.round(result.requests.average), p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors };
}

export async function startScript(file: string, args: string[]): Promise<{ port: number; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', file, args[0]!, String(port), ...args.slice(1)], { stdio: 'inherit' });
  await waitFor(() => fetch(`http://127.0.0.1:${port}/`, { method: 'GET' }).then(() => true, () => false), { what: 'bench server', timeoutMs: 30_000 });
  return { port, child };
}

export const line = (name: string, r: LoadResult, base?: LoadResult) =>
  `${name.padEnd(44)} ${String(r.rps).padStart(7)} req/s   p50 ${String(r.p50).padStart(3)} ms   p99 ${String(r.p99).padStart(4)} ms   non-2xx ${r.non2xx}${base ? `   x${(r.rps / base.rps).toFixed(2)} vs Express` : ''}`;
