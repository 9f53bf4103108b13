import { createHmac } from 'node:crypto';

/** Stripe's scheme: HMAC-SHA256 keyed with the whole whsec_ secret over `<t>.<raw body>`. */
export function signatureHeader(payload: string, secret: string, timestamp = Math.floor(Date.now() / 1000)): string {
  const signature = createHmac('sha256', secret).update(`${timestamp}.${payload}`).digest('hex');
  return `t=${timestamp},v1=${signature}`;
}
