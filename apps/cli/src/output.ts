import { redactText } from '@customer-sync/logger';

/** Exit codes of every command (documented in docs/cli.md). */
export const ExitCode = { ok: 0, failure: 1, usage: 2, drift: 3 } as const;
/** One of the documented exit codes. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** A command line that cannot be run as given: exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Where a command writes: its result to stdout (JSON with --json), progress and errors to stderr. */
export interface Output {
  json: boolean;
  /** The command's result: `value` as JSON, or the text `describe` makes of it. */
  result<T>(value: T, describe: (value: T) => string): void;
  /** A progress line for people (stderr); silent with --json. */
  note(line: string): void;
  error(code: string, message: string): void;
  isTerminal: boolean;
}

/** Writes through the given streams; every free text passes the secret and email redaction. */
export function createOutput(
  json: boolean,
  stdout: NodeJS.WriteStream = process.stdout,
  stderr: NodeJS.WriteStream = process.stderr,
): Output {
  return {
    json,
    isTerminal: !!stderr.isTTY,
    result(value, describe) {
      stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${describe(value)}\n`);
    },
    note(line) {
      if (!json) stderr.write(`${redactText(line)}\n`);
    },
    error(code, message) {
      const safe = redactText(message);
      if (json) stdout.write(`${JSON.stringify({ error: { code, message: safe } })}\n`);
      stderr.write(`customer-sync: ${safe}\n`);
    },
  };
}

/** A plain text table: columns padded to their widest cell. */
export function table(rows: (string | number)[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => String(r[i] ?? '').length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((cell, i) => String(cell).padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
