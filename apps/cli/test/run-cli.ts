import { execFile } from 'node:child_process';
import { join } from 'node:path';

const BIN = join(__dirname, '../bin/customer-sync.js');
const ROOT = join(__dirname, '../../..');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  json<T = Record<string, unknown>>(): T;
}

/** Runs the installed `customer-sync` bin as an operator would, with only the given environment. */
export function runCli(args: string[], env: Record<string, string>): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: ROOT, env: { NODE_ENV: 'test', LOG_LEVEL: 'error', ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr, json: () => JSON.parse(stdout) });
      },
    );
  });
}
