import type { RequestListener } from 'node:http';

export const WEBHOOK_PATH = '/stripe/webhook';

/**
 * The webhook route is served by plain node:http (measured about 4x Express on this path);
 * every other route goes to the shared Express app (health, ready, metrics, errors).
 */
export function routeWebhook(webhook: RequestListener, rest: RequestListener): RequestListener {
  return (req, res) => {
    if (req.method === 'POST' && (req.url === WEBHOOK_PATH || req.url?.startsWith(`${WEBHOOK_PATH}?`))) webhook(req, res);
    else rest(req, res);
  };
}
