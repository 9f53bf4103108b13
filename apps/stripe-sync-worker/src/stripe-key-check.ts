import type { StripeSyncWorkerConfig } from '@customer-sync/config';
import type { ReadinessCheck } from '@customer-sync/http';
import type { Logger } from '@customer-sync/logger';
import type { Registry } from 'prom-client';
import { stripeKeyMode, type Stripe } from '@customer-sync/stripe-client';
import { StripeKeyGate, type RateLimiter } from '@customer-sync/stripe-sync';

/**
 * The worker's key gate, checked once now: the probe is the cheapest authenticated call the
 * worker's own permissions allow (list one customer), under the shared rate limit.
 */
export async function checkStripeKey(
  config: StripeSyncWorkerConfig,
  deps: { stripe: Stripe; limiter: RateLimiter; logger: Logger; registry: Registry },
): Promise<StripeKeyGate> {
  const gate = new StripeKeyGate({
    probe: async () => {
      await deps.limiter.acquire();
      return deps.stripe.customers.list({ limit: 1 });
    },
    probeIntervalMs: config.STRIPE_KEY_PROBE_MS,
    mode: stripeKeyMode(config.STRIPE_SECRET_KEY),
    logger: deps.logger,
    registry: deps.registry,
  });
  await gate.checkAtStart();
  return gate;
}

/** /ready fails, with the reason, while Stripe refuses the key. */
export function stripeKeyReadiness(gate: StripeKeyGate): ReadinessCheck {
  return {
    name: 'stripe',
    explains: true,
    check: async () => {
      const refused = gate.refusal();
      if (refused) throw new Error(refused);
    },
  };
}
