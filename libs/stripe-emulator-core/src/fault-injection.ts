import type { RequestHandler } from 'express';
import { StripeApiError } from './stripe-errors';

export interface Faults {
  /** Probability (0..1) that an API call answers 429. */
  rate429: number;
  /** Probability (0..1) that an API call answers 500. */
  rate500: number;
  /** The next N API calls fail with `failStatus`, deterministically. */
  failNext: number;
  failStatus: 400 | 429 | 500 | 503;
  latencyMs: number;
  /** Delay the answer after the work is done: the caller may give up (or die) after Stripe acted. */
  responseDelayMs: number;
  /** Sent as Retry-After on injected 429s when set. */
  retryAfterSeconds?: number;
}

export const noFaults = (): Faults => ({
  rate429: 0,
  rate500: 0,
  failNext: 0,
  failStatus: 500,
  latencyMs: 0,
  responseDelayMs: 0,
});

function failure(status: number): StripeApiError {
  if (status === 429)
    return new StripeApiError(429, 'invalid_request_error', 'rate_limit', 'Too many requests hit the API too quickly.');
  if (status === 400)
    return new StripeApiError(
      400,
      'invalid_request_error',
      'parameter_invalid',
      'The request was refused (injected by the emulator).',
    );
  return new StripeApiError(status, 'api_error', undefined, 'An unknown error occurred (injected by the emulator).');
}

/** Before any API work: wait `latencyMs`, then maybe fail, as Stripe does under load. */
export function faultInjection(faults: () => Faults): RequestHandler {
  return async (_req, res, next) => {
    const f = faults();
    if (f.latencyMs > 0) await new Promise((r) => setTimeout(r, f.latencyMs));
    if (f.responseDelayMs > 0) {
      const delay = f.responseDelayMs;
      const send = res.send.bind(res);
      res.send = ((body: unknown) => {
        setTimeout(() => send(body), delay);
        return res;
      }) as typeof res.send;
    }
    let status: number | undefined;
    if (f.failNext > 0) {
      f.failNext--;
      status = f.failStatus;
    } else if (Math.random() < f.rate429) status = 429;
    else if (Math.random() < f.rate500) status = 500;
    if (status === undefined) return next();
    if (status === 429 && f.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(f.retryAfterSeconds));
    if (status === 429) res.setHeader('Stripe-Should-Retry', 'true');
    next(failure(status));
  };
}
