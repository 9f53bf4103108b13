import type { RequestListener } from 'node:http';
import { Router } from 'express';
import { methodNotAllowed } from '@customer-sync/http';

export const WEBHOOK_PATH = '/stripe/webhook';

/**
 * The webhook route is served by plain node:http (measured about 4x Express on this path);
 * every other route goes to the shared Express app (health, ready, metrics, errors).
 */
export function routeWebhook(webhook: RequestListener, rest: RequestListener): RequestListener {
  return (req, res) => {
    if (req.method === 'POST' && (req.url === WEBHOOK_PATH || req.url?.startsWith(`${WEBHOOK_PATH}?`)))
      webhook(req, res);
    else rest(req, res);
  };
}

/** Only POST reaches the webhook handler; any other method on its path gets 405 from the Express app. */
export function webhookMethodGuard(): Router {
  return Router().all(WEBHOOK_PATH, methodNotAllowed(['POST']));
}
