import { Router } from 'express';
import type { Registry } from 'prom-client';

/** A named dependency check for /ready; it throws (or rejects) when the dependency is not usable. */
export type ReadinessCheck = { name: string; check: () => Promise<void> };

export async function runChecks(checks: ReadinessCheck[], timeoutMs = 2000): Promise<{ ready: boolean; checks: Record<string, string> }> {
  const results = await Promise.all(
    checks.map(async ({ name, check }) => {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([check(), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timed out')), timeoutMs)))]);
        return [name, 'ok'] as const;
      } catch {
        return [name, 'failing'] as const;
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return { ready: results.every(([, status]) => status === 'ok'), checks: Object.fromEntries(results) };
}

/** /health (the process answers), /ready (its dependencies answer) and /metrics (Prometheus). */
export function healthRoutes(options: { checks: ReadinessCheck[]; registry: Registry; isShuttingDown?: () => boolean }): Router {
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
    res.status(result.ready ? 200 : 503).json({ status: result.ready ? 'ready' : 'not_ready', checks: result.checks });
  });
  router.get('/metrics', async (_req, res) => {
    res.type(options.registry.contentType).send(await options.registry.metrics());
  });
  return router;
}
