/**
 * The mode of a Stripe API key from its prefix, which Stripe documents as `sk_test_`/`rk_test_`
 * (test mode, sandboxes) and `sk_live_`/`rk_live_` (live mode). Safe to log; the key is not.
 */
export function stripeKeyMode(key: string): 'test' | 'live' | 'unknown' {
  const match = /^(?:sk|rk)_(test|live)_/.exec(key);
  return (match?.[1] as 'test' | 'live' | undefined) ?? 'unknown';
}
