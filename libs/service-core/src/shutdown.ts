import type { Logger } from '@customer-sync/logger';

export interface Stoppable {
  stop(): Promise<void>;
}

/**
 * Calls stop() once on SIGTERM or SIGINT, then exits: 0 when it finished in time, 1 otherwise.
 * A second signal exits at once.
 */
export function stopOnSignals(service: Stoppable, logger: Logger, timeoutMs: number): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info('shutting down', { signal });
    const timer = setTimeout(() => {
      logger.error('shutdown timed out', { timeoutMs });
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    service.stop().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (error) => {
        logger.error('shutdown failed', { error });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

/** Start-up failures are fatal and say so. */
export function exitOnStartFailure(logger: Logger | undefined, error: unknown): never {
  const message = error instanceof Error ? error.message : String(error);
  if (logger) logger.error(`failed to start: ${message}`, { error });
  // No logger without a valid config: still one JSON line, as every other line in production.
  else
    process.stderr.write(
      `${JSON.stringify({ level: 'error', message: `failed to start: ${message}`, timestamp: new Date().toISOString() })}\n`,
    );
  process.exit(1);
}

/**
 * Process-level events through the service's logger, so they too are JSON lines in production:
 * Node's warnings (the images run node with --no-warnings, which silences only its own printing)
 * and errors nothing caught, after which the process exits for the orchestrator to restart it.
 */
export function logProcessEvents(logger: Logger): void {
  process.on('warning', (warning) => logger.warn(`node: ${warning.message}`, { warning: warning.name }));
  const fatal = (kind: string) => (error: unknown) => {
    logger.error(`${kind}: ${error instanceof Error ? error.message : String(error)}`, { error });
    process.exit(1);
  };
  process.on('uncaughtException', fatal('uncaught exception'));
  process.on('unhandledRejection', fatal('unhandled rejection'));
}
