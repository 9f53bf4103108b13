import express, { type Express, type Router } from 'express';
import helmet from 'helmet';
import type { Registry } from 'prom-client';
import type { Logger } from '@customer-sync/logger';
import { errorMiddleware, notFoundMiddleware } from './error-middleware';
import { healthRoutes, metricsRoute, type ReadinessCheck } from './health-routes';
import { httpMetricsMiddleware } from './metrics';
import { requestContext } from './request-context';

export interface HttpAppOptions {
  logger: Logger;
  registry: Registry;
  checks: ReadinessCheck[];
  /** Mounted after health routes, before the 404 and error handlers. */
  routes?: Router[];
  jsonLimit?: string;
  isShuttingDown?: () => boolean;
  /** False when /metrics is served by an admin app (createAdminApp) instead. Default true. */
  metrics?: boolean;
}

/**
 * The middleware every app starts with: helmet's default headers, no x-powered-by, simple query
 * strings, no ETag (API answers are no-store, so nothing revalidates; hashing each body cost CPU).
 */
function baseApp(): Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('query parser', 'simple');
  app.use(helmet());
  return app;
}

/**
 * Express 5 app with helmet's headers, request ids, JSON bodies, health/ready/metrics and the shared
 * error shape.
 */
export function createHttpApp(options: HttpAppOptions): Express {
  const app = baseApp();
  app.use(requestContext(options.logger));
  app.use(httpMetricsMiddleware(options.registry));
  app.use(healthRoutes(options));
  app.use(express.json({ limit: options.jsonLimit ?? '100kb' }));
  for (const router of options.routes ?? []) app.use(router);
  app.use(notFoundMiddleware);
  app.use(errorMiddleware(options.logger));
  return app;
}

/** The admin listener's app: /metrics plus the given routes (e.g. /docs), same headers and errors. */
export function createAdminApp(options: { logger: Logger; registry: Registry; routes?: Router[] }): Express {
  const app = baseApp();
  app.use(requestContext(options.logger));
  app.use(metricsRoute(options.registry));
  for (const router of options.routes ?? []) app.use(router);
  app.use(notFoundMiddleware);
  app.use(errorMiddleware(options.logger));
  return app;
}
