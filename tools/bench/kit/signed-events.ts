// Unique signed Stripe events for the ingress paths: the recorded ~1.1 KB customer.created with a
// fresh event id, customer id and timestamp each, signed as Stripe signs (HMAC-SHA256 of `t.body`).
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES_DIR } from '@customer-sync/testing';

/** The webhook secret every ingress under test is configured with. */
export const WEBHOOK_SECRET = 'whsec_benchsecret0123456789';

const RECORDED = readFileSync(join(FIXTURES_DIR, 'event.customer.created.json'), 'utf8');
const RECORDED_EVENT_ID = 'evt_1RxQ4dB7WZ01zgkWq8vN2sTe';
const RECORDED_CUSTOMER_ID = 'cus_Sq4VhK2mZt8LcR';
const RECORDED_CREATED = '1786958045';

/** A Stripe-Signature header for `body` at `timestamp` (seconds). */
export function signatureOf(body: string, timestamp: number, secret = WEBHOOK_SECRET): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${mac}`;
}

/** The recorded event as Stripe sent it (pretty-printed), with its own ids: unique per `n` and `run`. */
export function uniqueEventBody(run: string, n: number): string {
  const id = `${run}${n.toString(36)}`;
  return RECORDED.replace(RECORDED_EVENT_ID, `evt_b${id}`)
    .replace(RECORDED_CUSTOMER_ID, `cus_b${id}`)
    .replaceAll(RECORDED_CREATED, String(Math.floor(Date.now() / 1000)));
}

/** Byte size of one event as posted. */
export const eventBytes = () => Buffer.byteLength(uniqueEventBody('x0000000', 0));
