import { signedBody } from '@customer-sync/testing';

/** What the ingress answered to the oversized webhook. */
export interface OversizedOutcome {
  at: number;
  bytes: number;
  status: number | null;
  body: string;
  /** The ingress's /ready at the same moment (it should say Kafka is fine). */
  readyStatus: number | null;
}

/** Just under the ingress's 1 MiB HTTP limit, above what fits the broker's 1 MiB message limit once wrapped. */
export const OVERSIZED_BYTES = 1_048_400;

/**
 * A signed `invoice.updated` event (a type the system acknowledges and ignores) padded to exactly
 * `bytes`: admitted by the HTTP limit, but too large for Kafka once the envelope, headers and record
 * overhead are added. Stripe would retry it for three days, so it must be refused permanently.
 */
export function oversizedEvent(seed: number, bytes: number): string {
  const event = {
    id: `evt_faultsuiteoversized${seed}`,
    object: 'event',
    api_version: '2026-07-29.dahlia',
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type: 'invoice.updated',
    data: { object: { id: `in_faultsuite${seed}`, object: 'invoice', description: '' } },
  };
  const padding = bytes - Buffer.byteLength(JSON.stringify(event));
  event.data.object.description = 'x'.repeat(Math.max(0, padding));
  return JSON.stringify(event);
}

/** Posts the oversized event to the ingress once, as Stripe's first delivery attempt would. */
export async function postOversizedWebhook(
  ingressUrl: string,
  secret: string,
  seed: number,
  at: number,
): Promise<OversizedOutcome> {
  const { body, signature } = signedBody(oversizedEvent(seed, OVERSIZED_BYTES), secret);
  const outcome: OversizedOutcome = { at, bytes: Buffer.byteLength(body), status: null, body: '', readyStatus: null };
  try {
    const [response, ready] = await Promise.all([
      fetch(`${ingressUrl}/stripe/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'stripe-signature': signature },
        body,
        signal: AbortSignal.timeout(20_000),
      }),
      fetch(`${ingressUrl}/ready`, { signal: AbortSignal.timeout(5000) }).catch(() => undefined),
    ]);
    outcome.status = response.status;
    outcome.body = (await response.text()).slice(0, 300);
    outcome.readyStatus = ready?.status ?? null;
  } catch (error) {
    outcome.body = String(error);
  }
  return outcome;
}
