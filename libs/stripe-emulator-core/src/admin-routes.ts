import express, { Router } from 'express';
import { z } from 'zod';
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

/** Test controls under /_emulator: faults on the API, delivery behaviour, inspection and reset. */
export function adminRoutes(account: StripeAccount, faults: Faults): Router {
  const router = Router();
  router.use('/_emulator', express.json());
  router.get('/_emulator/faults', (_req, res) => void res.json(faults));
  router.post('/_emulator/faults', (req, res) => {
    const body = FaultsBody.safeParse(req.body);
    if (!body.success) return void res.status(400).json({ error: { message: body.error.message } });
    Object.assign(faults, body.data);
    res.json(faults);
  });
  router.get('/_emulator/delivery', (_req, res) => void res.json({ controls: account.delivery.controls, attempts: account.delivery.attempts }));
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
    res.json({ reset: true });
  });
  return router;
}
