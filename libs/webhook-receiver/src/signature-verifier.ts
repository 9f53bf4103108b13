import Stripe from 'stripe';
import { parseSignatureHeader } from './signature-header';

/** What the verifier says; on success, `body` is the exact text that was verified (to publish as is). */
export type Verification =
  | { ok: true; event: unknown; body: string }
  | { ok: false; reason: 'missing_signature' | 'invalid_signature' | 'invalid_json' | 'invalid_encoding' };

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Verifies `Stripe-Signature` over the raw body with the official SDK against each configured
 * secret (several during a rotation) and returns the parsed event.
 *
 * The body is decoded once, strictly: bytes that are not UTF-8 are refused (`invalid_encoding`)
 * rather than replaced, and a byte-order mark is kept (so such a body is not JSON). The SDK gets that
 * string, so what it verifies is byte for byte the body, and the caller publishes the same string.
 * The header is parsed once (parseSignatureHeader) and the SDK gets its canonical form.
 */
export function createSignatureVerifier(secrets: string[], toleranceSeconds: number) {
  return (rawBody: Buffer, header: string | undefined): Verification => {
    if (!header) return { ok: false, reason: 'missing_signature' };
    const parsed = parseSignatureHeader(header);
    // The SDK only bounds a timestamp's age; one from beyond the tolerance in the future is refused too.
    if (!parsed || parsed.timestamp - Date.now() / 1000 > toleranceSeconds)
      return { ok: false, reason: 'invalid_signature' };
    let body: string;
    try {
      body = utf8.decode(rawBody);
    } catch {
      return { ok: false, reason: 'invalid_encoding' };
    }
    for (const secret of secrets) {
      try {
        return {
          ok: true,
          event: Stripe.webhooks.constructEvent(body, parsed.canonical, secret, toleranceSeconds),
          body,
        };
      } catch (error) {
        if ((error as Error).name === 'SyntaxError') return { ok: false, reason: 'invalid_json' };
      }
    }
    return { ok: false, reason: 'invalid_signature' };
  };
}
