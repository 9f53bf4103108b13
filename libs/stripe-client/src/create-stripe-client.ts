import Stripe from 'stripe';
import { STRIPE_API_VERSION } from './api-version';

export type StripeClient = Stripe;
export { Stripe };

export interface StripeClientOptions {
  secretKey: string;
  /** e.g. http://127.0.0.1:12111 for the local emulator; unset for api.stripe.com. */
  apiUrl?: string;
  timeoutMs?: number;
  /** The SDK's own retries; services that retry themselves pass 0. */
  maxNetworkRetries?: number;
}

/** The official SDK, pinned to STRIPE_API_VERSION, pointed at Stripe or at the emulator. */
export function createStripeClient(options: StripeClientOptions): Stripe {
  const target = options.apiUrl ? new URL(options.apiUrl) : undefined;
  return new Stripe(options.secretKey, {
    apiVersion: STRIPE_API_VERSION,
    maxNetworkRetries: options.maxNetworkRetries ?? 0,
    timeout: options.timeoutMs ?? 20_000,
    telemetry: false,
    ...(target && {
      host: target.hostname,
      port: target.port || (target.protocol === 'https:' ? 443 : 80),
      protocol: target.protocol === 'https:' ? 'https' : 'http',
    }),
  });
}
