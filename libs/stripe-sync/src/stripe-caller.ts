import { Counter, Histogram, type Registry } from 'prom-client';
import type { Logger } from '@customer-sync/logger';
import { backoffDelay, sleep, type BackoffOptions } from '@customer-sync/service-core';
import type { RateLimiter } from './rate-limiter';
import { classifyStripeError, type StripeFailure } from './stripe-error-policy';

/** Stripe refused this call for a reason of its own (bad parameters, missing resource): the customer's failure. */
export class StripeCallFailed extends Error {
  constructor(readonly failure: Extract<StripeFailure, { kind: 'permanent' | 'missing' }>) {
    super(failure.message);
    this.name = 'StripeCallFailed';
  }
}

/** Stripe refused our API key (401/403): no call can succeed until the key is fixed; nobody's failure. */
export class StripeKeyRefused extends Error {
  constructor(readonly failure: Extract<StripeFailure, { kind: 'unauthorized' }>) {
    super(failure.message);
    this.name = 'StripeKeyRefused';
  }
}

export class StripeUnavailable extends Error {
  constructor(reason: string) {
    super(`Stripe unavailable after retries: ${reason}`);
    this.name = 'StripeUnavailable';
  }
}

export interface StripeCallerOptions {
  limiter: RateLimiter;
  maxAttempts: number;
  backoff: BackoffOptions;
  logger: Logger;
  registry: Registry;
}

export type StripeCaller = <T>(operation: string, call: () => Promise<T>) => Promise<T>;

/**
 * Every Stripe call goes through here: rate-limited, retried with backoff and jitter on transient
 * failures (at least as long as Retry-After asks), and counted by outcome. Throws StripeCallFailed
 * (permanent, missing), StripeKeyRefused (401/403) or StripeUnavailable (retries exhausted).
 */
export function createStripeCaller(options: StripeCallerOptions): StripeCaller {
  const requests = new Counter({
    name: 'stripe_requests_total',
    help: 'Calls to Stripe by operation and outcome (ok, transient, permanent, missing, unauthorized)',
    labelNames: ['operation', 'outcome'],
    registers: [options.registry],
  });
  const duration = new Histogram({
    name: 'stripe_request_duration_seconds',
    help: 'Duration of each call to Stripe (every attempt), by operation and outcome',
    labelNames: ['operation', 'outcome'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20],
    registers: [options.registry],
  });
  const retries = new Counter({
    name: 'stripe_retries_total',
    help: 'Stripe calls retried after a transient failure',
    labelNames: ['operation'],
    registers: [options.registry],
  });

  return async (operation, call) => {
    for (let attempt = 1; ; attempt++) {
      await options.limiter.acquire();
      const end = duration.startTimer({ operation });
      try {
        const result = await call();
        requests.inc({ operation, outcome: 'ok' });
        end({ outcome: 'ok' });
        return result;
      } catch (error) {
        const failure = classifyStripeError(error);
        requests.inc({ operation, outcome: failure.kind });
        end({ outcome: failure.kind });
        if (failure.kind === 'unauthorized') throw new StripeKeyRefused(failure);
        if (failure.kind !== 'transient') throw new StripeCallFailed(failure);
        if (attempt >= options.maxAttempts) throw new StripeUnavailable(failure.reason);
        const delay = Math.max(backoffDelay(attempt, options.backoff), failure.retryAfterMs ?? 0);
        options.logger.warn('stripe call failed; retrying', {
          operation,
          attempt,
          delayMs: delay,
          reason: failure.reason,
        });
        retries.inc({ operation });
        await sleep(delay);
      }
    }
  };
}
