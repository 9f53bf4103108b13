import type { Logger } from '@customer-sync/logger';
import { backoffDelay, type BackoffOptions } from '@customer-sync/service-core';

/** A part of a service that runs once started and has one way to stop. */
export interface Startable {
  stop(): Promise<void>;
}

/** A start that keeps trying in the background; the process (and its /health) runs meanwhile. */
export interface BackgroundStart<T extends Startable> {
  /** What the start produced, once it has succeeded. */
  current(): T | undefined;
  /** Resolves when the start has succeeded (never, if stop() came first). */
  started: Promise<T>;
  /** Gives up a start still trying; stops what it produced. */
  stop(): Promise<void>;
}

/** How a background start retries, and what it does with a failure no retry can fix. */
export interface BackgroundStartOptions {
  logger: Logger;
  backoff?: BackoffOptions;
  /** A failure for which retrying cannot help (a refused password): the start gives up and calls onPermanent. */
  isPermanent?: (error: unknown) => boolean;
  onPermanent?: (error: unknown) => void;
}

/**
 * Runs `attempt` until it succeeds, backing off between failures (logged as warnings with the
 * error), so a service starts while Kafka is down and turns ready when it returns. A permanent
 * failure ends the trying (logged as an error, then onPermanent). A start that succeeds after
 * stop() is stopped at once. `attempt` must clean up what it opened before it throws.
 */
export function startInBackground<T extends Startable>(
  what: string,
  attempt: () => Promise<T>,
  options: BackgroundStartOptions,
): BackgroundStart<T> {
  const backoff = options.backoff ?? { baseMs: 500, maxMs: 5000 };
  let value: T | undefined;
  let stopped = false;
  let wake: () => void = () => undefined;

  const started = (async () => {
    for (let failures = 1; ; failures++) {
      try {
        const result = await attempt();
        if (stopped) {
          await result.stop();
          return new Promise<T>(() => undefined);
        }
        value = result;
        return result;
      } catch (error) {
        if (stopped) return new Promise<T>(() => undefined);
        if (options.isPermanent?.(error)) {
          options.logger.error(`${what} failed for good: ${error instanceof Error ? error.message : String(error)}`, {
            error,
          });
          options.onPermanent?.(error);
          return new Promise<T>(() => undefined);
        }
        const delayMs = Math.max(backoff.baseMs, backoffDelay(failures, backoff));
        options.logger.warn(`${what} not started; retrying`, { error, attempt: failures, delayMs });
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delayMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  })();

  return {
    current: () => value,
    started,
    async stop() {
      stopped = true;
      wake();
      await value?.stop();
    },
  };
}
