import { createLogger, type Logger } from '@customer-sync/logger';
import { createStripeClient, type StripeClient } from '@customer-sync/stripe-client';
import { startEmulator, type RunningEmulator } from './start-emulator';

export const TEST_STRIPE_KEY = 'sk_test_customersync0000000000';

/** An in-process Stripe emulator on a free port, with test controls on and fast retries. */
export async function startTestEmulator(
  options: { webhookUrl?: string; webhookSecret?: string; retryScheduleMs?: number[]; logger?: Logger } = {},
): Promise<RunningEmulator> {
  return startEmulator(
    {
      PORT: 0,
      STRIPE_WEBHOOK_URL: options.webhookUrl,
      STRIPE_WEBHOOK_SECRET: options.webhookSecret,
      EMULATOR_RETRY_SCHEDULE_MS: options.retryScheduleMs ?? [100, 200, 400, 800, 1600],
      EMULATOR_DELIVERY_TIMEOUT_MS: 2000,
      EMULATOR_ADMIN: true,
      EMULATOR_SNAPSHOT_FILE: undefined,
    },
    options.logger ?? createLogger({ service: 'stripe-emulator', silent: true }),
  );
}

export function emulatorStripe(emulator: { url: string }, key = TEST_STRIPE_KEY): StripeClient {
  return createStripeClient({ secretKey: key, apiUrl: emulator.url, timeoutMs: 5000 });
}

/** Calls one of the emulator's /_emulator test controls. */
export async function emulatorControl(emulator: { url: string }, path: string, body: unknown = {}): Promise<unknown> {
  const response = await fetch(`${emulator.url}/_emulator/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`emulator control ${path} answered ${response.status}`);
  return response.json();
}
