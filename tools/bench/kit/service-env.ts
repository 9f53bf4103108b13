// Service settings the benchmarks share: the API without rate limits, and the Stripe key they use
// against their emulators, for stripe-sync-worker and for the baselines' direct SDK calls alike.
import { createStripeClient, type StripeClient } from '@customer-sync/stripe-client';
import { TEST_API_KEY } from '@customer-sync/testing';

/** Any test-mode key: the emulator takes every `sk_test_` key. */
export const BENCH_STRIPE_KEY = 'sk_test_bench000000000000';

/** The per-key rate limit, lifted: the benchmarks measure throughput, not the limiter. */
const UNLIMITED = String(1_000_000_000);

/** api-service's settings: the database at `databaseUrl`, the test API key, no rate limit. */
export const apiEnv = (databaseUrl: string) => ({
  DATABASE_URL: databaseUrl,
  API_KEYS: TEST_API_KEY,
  API_RATE_LIMIT_PER_MIN: UNLIMITED,
});

/** stripe-sync-worker's Stripe settings: the emulator at `stripeUrl`, at most `maxRps` calls/s. */
export const workerEnv = (stripeUrl: string, maxRps: number) => ({
  STRIPE_SECRET_KEY: BENCH_STRIPE_KEY,
  STRIPE_API_URL: stripeUrl,
  STRIPE_MAX_RPS: String(maxRps),
});

/** An SDK client of the emulator at `stripeUrl`, for the baselines' direct calls. */
export const emulatorClient = (stripeUrl: string): StripeClient =>
  createStripeClient({ secretKey: BENCH_STRIPE_KEY, apiUrl: stripeUrl });
