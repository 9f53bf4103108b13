import { createStripeClient, type Stripe } from '@customer-sync/stripe-client';
import type { CustomerInput } from './load-plan';

/** How a Stripe-side call ended: done, the customer no longer exists, or no success before the deadline. */
export type StripeOutcome<T> = { ok: true; value: T } | { ok: false; missing: boolean; error: string };

const isRetryable = (error: unknown) => {
  const e = error as { statusCode?: number; type?: string };
  return (
    e.type === 'StripeConnectionError' ||
    e.statusCode === undefined ||
    e.statusCode === 429 ||
    e.statusCode === 409 ||
    e.statusCode >= 500
  );
};

/**
 * Stripe-side (dashboard) changes through the official SDK. Each call has an Idempotency-Key of the
 * load's own, so a retry after a 429, a 500 or a lost answer cannot act twice, and the event it
 * produces is recognisable in Stripe's event log.
 */
export function stripeDriver(apiUrl: string, secretKey: string) {
  const stripe: Stripe = createStripeClient({ secretKey, apiUrl, timeoutMs: 10_000, maxNetworkRetries: 2 });
  const withRetry = async <T>(call: () => Promise<T>, deadlineMs: number): Promise<StripeOutcome<T>> => {
    const deadline = Date.now() + deadlineMs;
    for (;;) {
      try {
        return { ok: true, value: await call() };
      } catch (error) {
        if ((error as { code?: string }).code === 'resource_missing')
          return { ok: false, missing: true, error: String(error) };
        if (!isRetryable(error) || Date.now() > deadline) return { ok: false, missing: false, error: String(error) };
        await new Promise((r) => setTimeout(r, 300));
      }
    }
  };
  const params = (input: CustomerInput) => ({
    ...input,
    phone: input.phone ?? undefined,
    description: input.description ?? undefined,
  });
  return {
    stripe,
    create: (input: CustomerInput, key: string, deadlineMs: number) =>
      withRetry(() => stripe.customers.create(params(input), { idempotencyKey: key }), deadlineMs),
    update: (id: string, input: CustomerInput, key: string, deadlineMs: number) =>
      withRetry(() => stripe.customers.update(id, params(input), { idempotencyKey: key }), deadlineMs),
    remove: (id: string, key: string, deadlineMs: number) =>
      withRetry(() => stripe.customers.del(id, {}, { idempotencyKey: key }), deadlineMs),
  };
}

export type StripeDriver = ReturnType<typeof stripeDriver>;
