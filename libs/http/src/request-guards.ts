import type { RequestHandler } from 'express';
import { MethodNotAllowedError, UnsupportedMediaTypeError } from '@customer-sync/service-core';

/** `Cache-Control: no-store`: for answers that carry customer data (and their errors). */
export const noStore: RequestHandler = (_req, res, next) => {
  res.setHeader('Cache-Control', 'no-store');
  next();
};

const hasBody = (headers: Record<string, unknown>) =>
  Number(headers['content-length'] ?? 0) > 0 || headers['transfer-encoding'] !== undefined;

/** 415 for a request with a body that is not `application/json` (a form or text would be ignored silently). */
export const requireJsonBody: RequestHandler = (req, _res, next) => {
  if (!hasBody(req.headers) || req.is('application/json')) return next();
  next(new UnsupportedMediaTypeError('send the body as application/json'));
};

/** 405 with an Allow header, for a known path asked with a method it does not serve. */
export function methodNotAllowed(allowed: readonly string[]): RequestHandler {
  return (req, res, next) => {
    res.setHeader('Allow', allowed.join(', '));
    next(new MethodNotAllowedError(req.method, allowed));
  };
}
