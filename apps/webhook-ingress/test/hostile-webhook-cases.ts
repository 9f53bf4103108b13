import { createHmac } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { fixture, TEST_WEBHOOK_SECRET } from '@customer-sync/testing';

/** One hostile webhook request, the answer the README documents for it, and the event id it carries. */
export interface HostileWebhookCase {
  name: string;
  method?: string;
  path?: string;
  body: string | Buffer;
  headers: Record<string, string>;
  status: number;
  code: string;
  /** The event id in the body, so the test can check that it was not published. */
  eventId: string;
}

const now = () => Math.floor(Date.now() / 1000);
const sign = (body: string | Buffer, t: number, secret = TEST_WEBHOOK_SECRET) =>
  createHmac('sha256', secret)
    .update(Buffer.concat([Buffer.from(`${t}.`), Buffer.from(body)]))
    .digest('hex');
const base = fixture<Record<string, unknown>>('event.customer.created.json');

const withObject = (fields: Record<string, unknown>) => {
  const data = base['data'] as { object: Record<string, unknown> };
  return { data: { ...data, object: { ...data.object, ...fields } } };
};

let sequence = 0;
function eventBody(extra: Record<string, unknown> = {}) {
  const id = `evt_hostile_${Date.now().toString(36)}_${sequence++}`;
  return { id, text: JSON.stringify({ ...base, id, ...extra }) };
}

/** A case whose body is a fresh event; `make` builds the request from its text and id. */
function hostile(
  name: string,
  status: number,
  code: string,
  make: (text: string) => { body?: string | Buffer; headers: Record<string, string>; method?: string; path?: string },
  extra?: Record<string, unknown>,
): HostileWebhookCase {
  const { id, text } = eventBody(extra);
  const built = make(text);
  return {
    name,
    status,
    code,
    eventId: id,
    body: built.body ?? text,
    headers: { 'content-type': 'application/json', ...built.headers },
    method: built.method,
    path: built.path,
  };
}

const signed = (text: string | Buffer, t = now()) => ({ 'stripe-signature': `t=${t},v1=${sign(text, t)}` });

const signatureHeader: HostileWebhookCase[] = [
  hostile('no Stripe-Signature', 400, 'missing_signature', () => ({ headers: {} })),
  hostile('an empty Stripe-Signature', 400, 'missing_signature', () => ({ headers: { 'stripe-signature': '' } })),
  hostile('a garbage header', 400, 'invalid_signature', () => ({ headers: { 'stripe-signature': 'nonsense' } })),
  hostile('a wrong secret', 400, 'invalid_signature', (text) => ({
    headers: { 'stripe-signature': `t=${now()},v1=${sign(text, now(), 'whsec_wrong')}` },
  })),
  hostile('a stale timestamp', 400, 'invalid_signature', (text) => ({ headers: signed(text, now() - 600) })),
  hostile('a future timestamp', 400, 'invalid_signature', (text) => ({ headers: signed(text, now() + 600) })),
  hostile('two t= entries (the SDK reads the last, we the only one)', 400, 'invalid_signature', (text) => ({
    headers: { 'stripe-signature': `t=${now() + 100_000},t=${now()},v1=${sign(text, now())}` },
  })),
  hostile('a t= with trailing letters that parseInt would accept', 400, 'invalid_signature', (text) => ({
    headers: { 'stripe-signature': `t=${now()}abc,v1=${sign(text, now())}` },
  })),
  hostile('a negative t=', 400, 'invalid_signature', (text) => ({
    headers: { 'stripe-signature': `t=-1,v1=${sign(text, -1)}` },
  })),
  hostile('only a v0 signature', 400, 'invalid_signature', (text) => ({
    headers: { 'stripe-signature': `t=${now()},v0=${sign(text, now())}` },
  })),
  hostile('a v1 that is not hex', 400, 'invalid_signature', () => ({
    headers: { 'stripe-signature': `t=${now()},v1=${'z'.repeat(64)}` },
  })),
  hostile('no t=', 400, 'invalid_signature', (text) => ({
    headers: { 'stripe-signature': `v1=${sign(text, now())}` },
  })),
  hostile('a tampered body', 400, 'invalid_signature', (text) => ({
    headers: signed(text),
    body: text.replace('customer.created', 'customer.deleted'),
  })),
];

const bodies: HostileWebhookCase[] = [
  hostile('a signed body that is not JSON', 400, 'invalid_json', () => ({
    body: 'not json',
    headers: signed('not json'),
  })),
  hostile('a signed body with a byte-order mark', 400, 'invalid_json', (text) => ({
    body: `\ufeff${text}`,
    headers: signed(`\ufeff${text}`),
  })),
  hostile('a byte-order mark outside the signed text', 400, 'invalid_signature', (text) => ({
    body: `\ufeff${text}`,
    headers: signed(text),
  })),
  hostile('signed bytes that are not UTF-8', 400, 'invalid_encoding', (text) => {
    const bytes = Buffer.concat([Buffer.from(text.slice(0, -1)), Buffer.from([0xff, 0xfe]), Buffer.from('}')]);
    return { body: bytes, headers: signed(bytes) };
  }),
  hostile('a signed gzip body', 400, 'invalid_encoding', (text) => {
    const bytes = gzipSync(text);
    return { body: bytes, headers: { ...signed(bytes), 'content-encoding': 'gzip' } };
  }),
  hostile('signed JSON that is not an event', 400, 'not_an_event', () => ({
    body: '{"id":"cus_1","object":"customer"}',
    headers: signed('{"id":"cus_1","object":"customer"}'),
  })),
  hostile('a signed JSON array', 400, 'not_an_event', () => ({ body: '[]', headers: signed('[]') })),
  hostile('a signed event with livemode as a string', 400, 'not_an_event', (text) => ({ headers: signed(text) }), {
    livemode: 'false',
  }),
  hostile('a signed event with no type', 400, 'not_an_event', (text) => ({ headers: signed(text) }), { type: '' }),
  // Stripe ids are at most 255 characters; a longer one would be the Kafka key or a database key.
  hostile('an event id longer than 255 characters', 400, 'id_too_long', (text) => ({ headers: signed(text) }), {
    id: `evt_${'a'.repeat(252)}`,
  }),
  hostile(
    'an object id longer than 255 characters',
    400,
    'id_too_long',
    (text) => ({ headers: signed(text) }),
    withObject({ id: `cus_${'a'.repeat(252)}` }),
  ),
  hostile(
    'an owning customer id longer than 255 characters',
    400,
    'id_too_long',
    (text) => ({ headers: signed(text) }),
    withObject({ customer: `cus_${'b'.repeat(252)}` }),
  ),
  hostile('an empty body', 400, 'invalid_signature', () => ({ body: '', headers: signed('') })),
  hostile('a body over the limit', 413, 'payload_too_large', (text) => ({ headers: signed(text) }), {
    padding: 'x'.repeat(5000),
  }),
  hostile('a declared length over the limit', 413, 'payload_too_large', (text) => ({
    headers: { ...signed(text), 'content-length': '999999999' },
    body: '',
  })),
];

const methods: HostileWebhookCase[] = [
  hostile('GET on the webhook path', 405, 'method_not_allowed', () => ({ method: 'GET', body: '', headers: {} })),
  hostile('PUT on the webhook path', 405, 'method_not_allowed', (text) => ({ method: 'PUT', headers: signed(text) })),
  hostile('POST on another path', 404, 'not_found', (text) => ({ path: '/stripe/webhooks', headers: signed(text) })),
];

/** Every hostile request the ingress suite sends. */
export const HOSTILE_WEBHOOK_CASES: HostileWebhookCase[] = [...signatureHeader, ...bodies, ...methods];
