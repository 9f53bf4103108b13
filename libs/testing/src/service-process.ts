import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { waitFor } from './wait-for';

const ROOT = join(__dirname, '../../..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface ServiceProcess {
  name: string;
  url: string;
  child: ChildProcess;
  /** SIGKILL: no shutdown hook runs, nothing is committed. */
  kill(): Promise<void>;
  /** SIGTERM and wait for the exit code. */
  stop(): Promise<number | null>;
  output(): string;
}

/**
 * Starts one of the apps as its own process, exactly as it is deployed (its main.ts, config from
 * the environment), and waits until its /health answers.
 */
export async function startServiceProcess(
  app: string,
  env: Record<string, string>,
  fixedPort?: number,
): Promise<ServiceProcess> {
  const port = fixedPort ?? (await freePort());
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'apps', app, 'src', 'main.ts')], {
    cwd: ROOT,
    // Only what the test gives: a developer's own variables never leak into the service under test.
    env: { NODE_ENV: 'test', LOG_FORMAT: 'json', LOG_LEVEL: 'warn', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  // An exit ends the wait at once (waitFor would keep polling a thrown error until its timeout).
  await waitFor(async () => gone() || (await fetch(`${url}/health`).catch(() => undefined))?.ok, {
    what: `${app} /health`,
    timeoutMs: 60_000,
    intervalMs: 100,
  }).catch((error: unknown) => {
    // A process that never answered is not left running behind the caller's back.
    child.kill('SIGKILL');
    throw error;
  });
  if (gone()) throw new Error(`${app} exited with ${child.exitCode ?? child.signalCode}: ${output.slice(-2000)}`);
  return {
    name: app,
    url,
    child,
    output: () => output,
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
