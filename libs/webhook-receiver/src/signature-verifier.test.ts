import Stripe from 'stripe';
import { createSignatureVerifier } from './signature-verifier';
import { parseSignatureHeader } from './signature-header';

const SECRET = 'whsec_unit0123456789';
const now = () => Math.floor(Date.now() / 1000);
const header = (payload: string, timestamp = now()) =>
  Stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET, timestamp });

describe('parseSignatureHeader', () => {
  const sig = 'a'.repeat(64);
  it('reads the one timestamp and every v1, ignoring v0', () => {
    expect(parseSignatureHeader(`t=123,v1=${sig},v0=zz,v1=${'b'.repeat(64)}`)).toEqual({
      timestamp: 123,
      signatures: [sig, 'b'.repeat(64)],
      canonical: `t=123,v1=${sig},v1=${'b'.repeat(64)}`,
    });
  });

  it.each([
    ['two timestamps', `t=1,t=2,v1=${sig}`],
    ['a timestamp with letters', `t=12ab,v1=${sig}`],
    ['an empty timestamp', `t=,v1=${sig}`],
    ['no v1', 't=1,v0=abc'],
    ['a short v1', 't=1,v1=abc'],
    ['an item without =', `t=1,v1=${sig},junk`],
    ['spaces around items', `t=1, v1=${sig}`],
  ])('refuses %s', (_name, value) => {
    expect(parseSignatureHeader(value)).toBeUndefined();
  });
});

describe('createSignatureVerifier', () => {
  const verify = createSignatureVerifier([SECRET], 300);

  it('returns exactly the text it verified, for publishing as is', () => {
    const body = '{\n  "id": "evt_1", "object": "event", "name": "Zoë 😀 \\u00e9"\n}';
    const result = verify(Buffer.from(body), header(body));
    expect(result).toEqual({ ok: true, event: JSON.parse(body), body });
  });

  it('refuses bytes that are not UTF-8 instead of verifying a replaced text', () => {
    const bytes = Buffer.from([0x7b, 0xff, 0x7d]);
    expect(verify(bytes, header(bytes.toString('utf8')))).toEqual({ ok: false, reason: 'invalid_encoding' });
  });

  it('reads the same timestamp as the SDK: a second, future t= is refused, not verified', () => {
    const body = '{"id":"evt_1"}';
    const valid = header(body);
    expect(verify(Buffer.from(body), `${valid},t=${now() + 10_000}`)).toEqual({
      ok: false,
      reason: 'invalid_signature',
    });
  });
});
