import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { UnauthorizedError } from '@customer-sync/service-core';

const digest = (key: string) => createHash('sha256').update(key).digest();

/**
 * Bearer API keys from API_KEYS, compared in constant time. The matched key is kept in res.locals
 * (`apiKey`, and its SHA-256 in hex as `apiKeyHash`, so later steps need not hash it again);
 * a refusal (401) is reported to `onFailure` first (the failed-authentication limit).
 */
export function apiKeyAuth(
  keys: string[],
  onFailure: (req: Request) => Promise<void> = async () => {},
): RequestHandler {
  const accepted = keys.map(digest);
  return (req, res, next) => {
    const header = req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const given = match ? digest(match[1]!) : undefined;
    if (!given || !accepted.some((key) => timingSafeEqual(key, given))) {
      return void onFailure(req).then(() => next(new UnauthorizedError()), next);
    }
    res.locals.apiKey = match![1];
    res.locals.apiKeyHash = given.toString('hex');
    next();
  };
}
