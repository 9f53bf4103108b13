import express, { Router } from 'express';
import { z } from 'zod';
import type { KeyControls } from './api-keys';
import { noFaults, type Faults } from './fault-injection';
import type { StripeAccount } from './stripe-account';

const FaultsBody = z.object({
  rate429: z.number().min(0).max(1).optional(),
  rate500: z.number().min(0).max(1).optional(),
  failNext: z.number().int().min(0).optional(),
  failStatus: z.union([z.literal(400), z.literal(429), z.literal(500), z.literal(503)]).optional(),
  latencyMs: z.number().int().min(0).max(60_000).optional(),
  responseDelayMs: z.number().int().min(0).max(60_000).optional(),
  retryAfterSeconds: z.number().int().min(0).optional(),
});

const DeliveryBody = z.object({
  paused: z.boolean().optional(),
  duplicates: z.number().int().min(0).max(10).optional(),
  outOfOrder: z.boolean().optional(),
});

/** Replaces the listed sets of refused keys; an empty list accepts those keys again. */
const ApiKeysBody = z.object({
  revoked: z.array(z.string()).optional(),
  forbidden: z.array(z.string()).optional(),
});

/** Test controls under /_emulator: faults on the API, refused keys, delivery behaviour, inspection and reset. */
export function adminRoutes(account: StripeAccount, faults: Faults, keys: KeyControls): Router {
  const router = Router();
  router.use('/_emulator', express.json());
  router.get('/_emulator/faults', (_req, res) => void res.json(faults));
  router.post('/_emulator/faults', (req, res) => {
    const body = FaultsBody.safeParse(req.body);
    if (!body.success) return void res.status(400).json({ error: { message: body.error.message } });
    Object.assign(faults, body.data);
    res.json(faults);
  });
  router.post('/_emulator/api-keys', (req, res) => {
    const body = ApiKeysBody.safeParse(req.body);
    if (!body.success) return void res.status(400).json({ error: { message: body.error.message } });
    if (body.data.revoked) keys.revoked = new Set(body.data.revoked);
    if (body.data.forbidden) keys.forbidden = new Set(body.data.forbidden);
    res.json({ revoked: keys.revoked.size, forbidden: keys.forbidden.size });
  });
  router.get(
    '/_emulator/delivery',
    (_req, res) => void res.json({ controls: account.delivery.controls, attempts: account.delivery.attempts }),
  );
  router.post('/_emulator/delivery', (req, res) => {
    const body = DeliveryBody.safeParse(req.body);
    if (!body.success) return void res.status(400).json({ error: { message: body.error.message } });
    account.delivery.setControls(body.data);
    res.json({ controls: account.delivery.controls });
  });
  router.post('/_emulator/delivery/flush', (_req, res) => {
    account.delivery.flush();
    res.json({ controls: account.delivery.controls });
  });
  router.post('/_emulator/reset', (_req, res) => {
    account.reset();
    Object.assign(faults, noFaults(), { retryAfterSeconds: undefined });
    keys.revoked.clear();
    keys.forbidden.clear();
    res.json({ reset: true });
  });
  return router;
}
