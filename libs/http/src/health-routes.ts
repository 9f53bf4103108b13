import { Router } from 'express';
import type { Registry } from 'prom-client';

/**
 * A named dependency check for /ready; it throws (or rejects) when the dependency is not usable.
 * With `explains`, the error's message is shown on /ready as the reason (it must hold no secret).
 */
export type ReadinessCheck = { name: string; check: () => Promise<void>; explains?: boolean };

export interface ReadinessResult {
  ready: boolean;
  /** `ok` or `failing` per check. */
  checks: Record<string, string>;
  /** Why, for failing checks that explain themselves. */
  reasons: Record<string, string>;
}

/** Runs every check at once, each bounded by `timeoutMs`; a check that throws or times out is `failing`. */
export async function runChecks(checks: ReadinessCheck[], timeoutMs = 2000): Promise<ReadinessResult> {
  const results = await Promise.all(
    checks.map(async ({ name, check, explains }) => {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          check(),
          new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timed out')), timeoutMs))),
        ]);
        return [name, 'ok', undefined] as const;
      } catch (error) {
        return [name, 'failing', explains && error instanceof Error ? error.message : undefined] as const;
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return {
    ready: results.every(([, status]) => status === 'ok'),
    checks: Object.fromEntries(results.map(([name, status]) => [name, status])),
    reasons: Object.fromEntries(results.flatMap(([name, , reason]) => (reason ? [[name, reason]] : []))),
  };
}

/** GET /metrics: the registry in Prometheus' text format. */
export function metricsRoute(registry: Registry): Router {
  const router = Router();
  router.get('/metrics', async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });
  return router;
}

/**
 * /health (the process answers), /ready (its dependencies answer) and, unless `metrics` is false
 * (they are served on an admin port instead), /metrics (Prometheus).
 */
export function healthRoutes(options: {
  checks: ReadinessCheck[];
  registry: Registry;
  isShuttingDown?: () => boolean;
  metrics?: boolean;
}): Router {
  const router = Router();
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/ready', async (_req, res) => {
    if (options.isShuttingDown?.()) {
      res.status(503).json({ status: 'shutting_down', checks: {} });
      return;
    }
    const result = await runChecks(options.checks);
    const reasons = Object.keys(result.reasons).length > 0 ? { reasons: result.reasons } : {};
    res
      .status(result.ready ? 200 : 503)
      .json({ status: result.ready ? 'ready' : 'not_ready', checks: result.checks, ...reasons });
  });
  if (options.metrics !== false) router.use(metricsRoute(options.registry));
  return router;
}
