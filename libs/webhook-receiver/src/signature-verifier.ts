import Stripe from 'stripe';

export type Verification = { ok: true; event: unknown } | { ok: false; reason: 'missing_signature' | 'invalid_signature' | 'invalid_json' };

const TIMESTAMP = /(?:^|,)t=(\d+)(?:,|$)/;

/**
 * Verifies `Stripe-Signature` over the raw body with the official SDK against each configured
 * secret (several during a rotation) and returns the parsed event.
 */
export function createSignatureVerifier(secrets: string[], toleranceSeconds: number) {
  return (rawBody: Buffer, header: string | undefined): Verification => {
    if (!header) return { ok: false, reason: 'missing_signature' };
    // The SDK only bounds a timestamp's age; one from beyond the tolerance in the future is refused too.
    const timestamp = Number(TIMESTAMP.exec(header)?.[1]);
    if (timestamp - Date.now() / 1000 > toleranceSeconds) return { ok: false, reason: 'invalid_signature' };
    for (const secret of secrets) {
      try {
        return { ok: true, event: Stripe.webhooks.constructEvent(rawBody, header, secret, toleranceSeconds) };
      } catch (error) {
        if ((error as Error).name === 'SyntaxError') return { ok: false, reason: 'invalid_json' };
      }
    }
    return { ok: false, reason: 'invalid_signature' };
  };
}
