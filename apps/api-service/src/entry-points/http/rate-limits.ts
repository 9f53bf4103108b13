import { createHash } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import { TooManyRequestsError } from '@customer-sync/http';

const WINDOW_MS = 60_000;

export interface RateLimitOptions {
  /** Requests per minute per API key. */
  perKeyPerMinute: number;
  /** Failed authentications per minute per client address. */
  authFailuresPerMinute: number;
}

/** Answers 429 through the error middleware, with Retry-After in whole seconds until the window resets. */
function refuse(what: string) {
  return (req: Request, _res: Response, next: (error: unknown) => void) => {
    const reset = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
    const seconds = Math.max(1, Math.ceil(((reset?.getTime() ?? Date.now() + WINDOW_MS) - Date.now()) / 1000));
    next(new TooManyRequestsError(`too many ${what}; retry after ${seconds} s`, seconds));
  };
}

/**
 * Counts only answers of 401 per client address; past the limit every request from that address gets
 * 429 until the window ends. Mounted before authentication.
 */
export function authFailureLimit(options: RateLimitOptions): RequestHandler {
  return rateLimit({
    windowMs: WINDOW_MS,
    limit: options.authFailuresPerMinute,
    standardHeaders: false,
    legacyHeaders: false,
    skipSuccessfulRequests: true,
    requestWasSuccessful: (_req, res) => res.statusCode !== 401,
    handler: refuse('failed authentications'),
  });
}

/** Requests per API key (keyed by a hash, so the key itself is never held); mounted after authentication. */
export function perApiKeyLimit(options: RateLimitOptions): RequestHandler {
  return rateLimit({
    windowMs: WINDOW_MS,
    limit: options.perKeyPerMinute,
    standardHeaders: false,
    legacyHeaders: false,
    keyGenerator: (_req, res) => createHash('sha256').update(String(res.locals.apiKey)).digest('hex'),
    handler: refuse('requests for this API key'),
  });
}
