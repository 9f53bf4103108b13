import type { z } from 'zod';
import { loadConfig } from '@customer-sync/config';
import { createServiceLogger, type Logger, type LoggingConfig } from '@customer-sync/logger';
import { exitOnStartFailure, logProcessEvents, stopOnSignals, type Stoppable } from './shutdown';

/**
 * A service process: validate its config (a bad variable stops the start, named), create its
 * logger, start it, and stop it gracefully on SIGTERM/SIGINT.
 */
export async function runService<S extends z.ZodObject>(
  name: string,
  schema: S,
  start: (config: z.infer<S>, logger: Logger) => Promise<Stoppable>,
): Promise<void> {
  let logger: Logger | undefined;
  try {
    const config = loadConfig(schema) as z.infer<S> & LoggingConfig & { SHUTDOWN_TIMEOUT_MS: number };
    logger = createServiceLogger(name, config);
    logProcessEvents(logger);
    stopOnSignals(await start(config, logger), logger, config.SHUTDOWN_TIMEOUT_MS);
  } catch (error) {
    exitOnStartFailure(logger, error);
  }
}
