import { Command, CommanderError } from 'commander';
import { ConfigError } from '@customer-sync/config';
import { CliContext } from './cli-context';
import { registerDlq } from './commands/dlq-command';
import { registerMigrate } from './commands/migrate-command';
import { registerPrune } from './commands/prune-command';
import { registerReconcile } from './commands/reconcile-command';
import { registerResync } from './commands/resync-command';
import { registerStatus } from './commands/status-command';
import { registerWebhook } from './commands/webhook-command';
import { createOutput, ExitCode, UsageError } from './output';

/** A command's body: it gets the context and its parsed arguments, and says how it ended. */
export type CommandBody = (ctx: CliContext, ...args: never[]) => Promise<ExitCode>;

/** Binds a command body to commander: context per run, errors mapped to exit codes, resources closed. */
export type Runner = (body: CommandBody) => (...args: unknown[]) => Promise<void>;

function exitCodeOf(error: unknown): { code: ExitCode; name: string } {
  if (error instanceof UsageError) return { code: ExitCode.usage, name: 'usage' };
  if (error instanceof ConfigError) return { code: ExitCode.failure, name: 'config' };
  return { code: ExitCode.failure, name: 'failed' };
}

/** The `customer-sync` program: every command, `--help` and `--json` on each. */
export function buildProgram(onExit: (code: ExitCode) => void): Command {
  const program = new Command('customer-sync')
    .description(
      'Operate customer-sync: status, dead letters, resync, reconcile, migrations, webhook set-up, retention',
    )
    .option('--json', 'print the result as JSON (for scripts)')
    .configureHelp({ showGlobalOptions: true })
    .showHelpAfterError()
    .addHelpText('after', '\nExit codes: 0 ok, 1 failure, 2 usage error, 3 drift found (reconcile).')
    .exitOverride();

  const run: Runner =
    (body) =>
    async (...args) => {
      const command = args.at(-1) as Command;
      const output = createOutput(!!command.optsWithGlobals().json);
      let ctx: CliContext | undefined;
      try {
        ctx = new CliContext(output);
        onExit(await body(ctx, ...(args.slice(0, -1) as never[])));
      } catch (error) {
        const { code, name } = exitCodeOf(error);
        output.error(name, error instanceof Error ? error.message : String(error));
        onExit(code);
      } finally {
        await ctx?.close();
      }
    };

  for (const register of [
    registerStatus,
    registerDlq,
    registerResync,
    registerReconcile,
    registerMigrate,
    registerWebhook,
    registerPrune,
  ]) {
    register(program, run);
  }
  return program;
}

/** Runs the CLI with the given arguments and resolves to its exit code. */
export async function runCli(argv: string[]): Promise<ExitCode> {
  let code: ExitCode = ExitCode.ok;
  const program = buildProgram((c) => (code = c));
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    throw error;
  }
  return code;
}
