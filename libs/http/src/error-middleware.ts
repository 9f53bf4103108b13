import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '@customer-sync/logger';
import { AppError, NotFoundError, PayloadTooLargeError, ValidationError } from './app-errors';

/** Errors thrown by body-parser carry a `type`; map the ones a client causes. */
function fromParserError(error: { type?: string; limit?: number }): AppError | undefined {
  if (error.type === 'entity.too.large') return new PayloadTooLargeError(error.limit ?? 'the limit');
  if (error.type === 'entity.parse.failed') return new ValidationError([], 'the body is not valid JSON');
  if (error.type === 'encoding.unsupported' || error.type === 'charset.unsupported') return new ValidationError([], 'unsupported body encoding');
  return undefined;
}

export function errorMiddleware(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const known = error instanceof AppError ? error : fromParserError(error);
    const status = known?.status ?? 500;
    if (status >= 500) logger.error('request failed', { method: req.method, path: req.path, error });
    const body = known
      ? { error: { code: known.code, message: known.message, ...(known.details !== undefined ? { details: known.details } : {}) } }
      : { error: { code: 'internal_error', message: 'something went wrong; the request id is in the X-Request-Id header' } };
    res.status(status).json(body);
  };
}

export const notFoundMiddleware: RequestHandler = (req, _res, next) => next(new NotFoundError(`route ${req.method} ${req.path}`));
