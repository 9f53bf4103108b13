import type { Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, MemoryStore, rateLimit } from 'express-rate-limit';
import { TooManyRequestsError } from '@customer-sync/service-core';

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

/** A client address's failed authentications in the current window, and the gate that refuses it past the limit. */
export interface AuthFailureLimit {
  /** Mounted before authentication: an address past the limit gets 429 until its window ends. */
  gate: RequestHandler;
  /** Called by authentication when it refuses a request (401). */
  recordFailure(req: Request): Promise<void>;
}

/**
 * Counts failed authentications (401) per client address (IPv6 by /56, express-rate-limit's
 * ipKeyGenerator). Only failures are counted, when they happen: counting every request and taking
 * the successful ones back when they finish (skipSuccessfulRequests) refused legitimate clients with
 * more requests in flight than the limit.
 */
export function authFailureLimit(options: RateLimitOptions): AuthFailureLimit {
  const store = new MemoryStore();
  store.init({ windowMs: WINDOW_MS } as Parameters<MemoryStore['init']>[0]);
  const keyOf = (req: Request) => ipKeyGenerator(req.ip ?? req.socket.remoteAddress ?? 'unknown');
  return {
    gate: (req, _res, next) => {
      store.get(keyOf(req)).then((info) => {
        if (!info || info.totalHits < options.authFailuresPerMinute) return next();
        const seconds = Math.max(
          1,
          Math.ceil(((info.resetTime?.getTime() ?? Date.now() + WINDOW_MS) - Date.now()) / 1000),
        );
        next(new TooManyRequestsError(`too many failed authentications; retry after ${seconds} s`, seconds));
      }, next);
    },
    recordFailure: async (req) => void (await store.increment(keyOf(req))),
  };
}

/** Requests per API key (keyed by a hash, so the key itself is never held); mounted after authentication. */
export function perApiKeyLimit(options: RateLimitOptions): RequestHandler {
  return rateLimit({
    windowMs: WINDOW_MS,
    limit: options.perKeyPerMinute,
    standardHeaders: false,
    legacyHeaders: false,
    // The key's hash, taken by authentication (apiKeyAuth).
    keyGenerator: (_req, res) => res.locals.apiKeyHash as string,
    handler: refuse('requests for this API key'),
  });
}
