// Services started as deployed (the esbuild bundles, NODE_ENV=production) and the suite's own
// baseline programs, bundled the same way; each one's peak RSS is kept for the memory benchmark.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { build } from 'esbuild';
import { freePort, waitFor } from '@customer-sync/testing';
import { memoryMiB } from './proc-stats';

export const ROOT = join(__dirname, '../../..');

/** Peak RSS (VmHWM, MiB) of every service the suite stopped, by name: the largest seen. */
export const peakRssByProcess = new Map<string, number>();

export interface Running {
  name: string;
  url: string;
  pid: number;
  child: ChildProcess;
  /** SIGTERM, wait for the exit; records the peak RSS first. */
  stop(): Promise<void>;
  output(): string;
}

/** Extra node flags for every service (e.g. `--cpu-prof`), set once by the command line. */
export const nodeFlags: string[] = [];

async function startProcess(
  name: string,
  file: string,
  env: Record<string, string>,
  healthPath: string,
  recordPeak: boolean,
): Promise<Running> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--enable-source-maps', ...nodeFlags, file], {
    cwd: ROOT,
    env: { NODE_ENV: 'production', LOG_FORMAT: 'json', LOG_LEVEL: 'warn', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (d: Buffer) => (output = (output + d.toString()).slice(-20_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}: ${output.slice(-2000)}`);
      return (await fetch(`${url}${healthPath}`).catch(() => undefined))?.ok;
    },
    { what: `${name} ${healthPath}`, timeoutMs: 90_000, intervalMs: 100 },
  );
  return {
    name,
    url,
    pid: child.pid!,
    child,
    output: () => output,
    async stop() {
      const peak = memoryMiB(child.pid!, 'VmHWM');
      if (recordPeak && Number.isFinite(peak))
        peakRssByProcess.set(name, Math.max(peak, peakRssByProcess.get(name) ?? 0));
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * One of the apps from its built bundle (`npm run build`), configured by `env` as in production.
 * Resolves once `waitFor` answers: `/health` (the process serves HTTP), or `/ready` for a service
 * that must take traffic at once, as a readiness probe would gate it. webhook-ingress serves
 * /health before its Kafka connection is up and answers webhooks 503 kafka_unavailable until then.
 */
export function startService(
  app: string,
  env: Record<string, string>,
  waitFor: '/health' | '/ready' = '/health',
): Promise<Running> {
  return startProcess(app, join(ROOT, 'dist/apps', app, 'main.js'), env, waitFor, true);
}

/** A baseline program of this folder, bundled like the services and started with `env`. */
export async function startBaseline(name: string, env: Record<string, string>): Promise<Running> {
  const outfile = join(ROOT, 'dist/bench', `${name}.js`);
  await build({
    entryPoints: [join(__dirname, '../baselines', `${name}.ts`)],
    bundle: true,
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    outfile,
    logLevel: 'error',
    tsconfig: join(ROOT, 'tsconfig.base.json'),
  });
  return startProcess(name, outfile, env, '/', false);
}
