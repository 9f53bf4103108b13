import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '@customer-sync/logger';
import { NotFoundError, TooManyRequestsError } from '@customer-sync/service-core';
import { clientErrorOf, isClientAbort } from './client-errors';
import { errorBodyOf, INTERNAL_ERROR_BODY } from './error-body';

/**
 * Maps errors to `{ error: { code, message, details } }` with a bounded size: AppErrors and errors a
 * client caused in the HTTP layer get their 4xx; anything else is a 500 with a generic message, logged
 * at error level. A client that hung up is logged at info (with the request id) and not answered.
 */
export function errorMiddleware(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    if (isClientAbort(error)) {
      logger.info('client closed the request before it was read', {
        method: req.method,
        path: req.path,
        requestId: res.locals.requestId,
      });
      return;
    }
    const known = clientErrorOf(error);
    if (!known) logger.error('request failed', { method: req.method, path: req.path, error });
    if (res.headersSent) return;
    if (known instanceof TooManyRequestsError) res.setHeader('Retry-After', String(known.retryAfterSeconds));
    res.status(known?.status ?? 500).json(known ? errorBodyOf(known) : INTERNAL_ERROR_BODY);
  };
}

export const notFoundMiddleware: RequestHandler = (req, _res, next) =>
  next(new NotFoundError(`route ${req.method} ${req.path.slice(0, 100)}`));
