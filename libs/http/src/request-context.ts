import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { type Logger, withCorrelationId } from '@customer-sync/logger';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Takes a caller's X-Request-Id (or makes one), echoes it, and runs the request under it as
 * correlation id. The access line (level http) is only prepared when that level is logged: winston
 * builds and filters a filtered entry on every call, a cost per request for nothing.
 */
export function requestContext(logger: Logger): RequestHandler {
  const logRequests = logger.isLevelEnabled('http');
  return (req, res, next) => {
    const incoming = req.header('x-request-id');
    const requestId = incoming && SAFE_ID.test(incoming) ? incoming : randomUUID();
    res.setHeader('X-Request-Id', requestId);
    res.locals.requestId = requestId;
    if (logRequests) {
      const started = process.hrtime.bigint();
      res.on('finish', () => {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        withCorrelationId(requestId, () =>
          logger.http('request', { method: req.method, path: req.path, status: res.statusCode, ms }),
        );
      });
    }
    withCorrelationId(requestId, next);
  };
}
