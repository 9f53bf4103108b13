import { REDACTED, redact, redactText } from './redact';

describe('redact', () => {
  it('masks sensitive keys at any depth', () => {
    const out = redact({
      headers: { authorization: 'Bearer abc', 'stripe-signature': 't=1,v1=ff' },
      customer: { email: 'a@b.co', name: 'Ann' },
    });
    expect(out).toEqual({
      headers: { authorization: REDACTED, 'stripe-signature': REDACTED },
      customer: { email: REDACTED, name: 'Ann' },
    });
  });

  it.each([
    ['a Stripe secret key', 'key sk_test_51Habc123 used', 'key [REDACTED] used'],
    ['a webhook secret', 'secret whsec_abcDEF', 'secret [REDACTED]'],
    ['an email', 'customer jenny.rosen@example.com created', 'customer [REDACTED] created'],
    ['a bearer token', 'Authorization: Bearer local-dev-key', 'Authorization: Bearer [REDACTED]'],
    ['a card number', 'card 4242 4242 4242 4242 declined', 'card [REDACTED] declined'],
    ['a card number with dashes', 'pan 4000-0566-5566-5556.', 'pan [REDACTED].'],
  ])('removes %s from free text', (_what, input, expected) => {
    expect(redactText(input)).toBe(expected);
  });

  it.each([
    ['a UUID of digits only', 'customer 12345678-1234-1234-1234-123456789012 synced'],
    ['a UUID', 'customer 6f1d0a55-8f0e-4b3e-9a53-0e6b8f1c2d3e synced'],
    ['a millisecond timestamp', 'at 1764412345678 ms'],
    ['a Stripe id', 'cus_4242424242424242 updated'],
    ['a long order number that fails the Luhn check', 'order 4242424242424241'],
  ])('keeps %s', (_what, input) => {
    expect(redactText(input)).toBe(input);
  });

  it('keeps errors readable while redacting their message', () => {
    const out = redact(new Error('no customer for bob@example.com')) as { message: string };
    expect(out.message).toBe('no customer for [REDACTED]');
  });
});
