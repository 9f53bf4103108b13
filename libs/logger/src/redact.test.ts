import { REDACTED, redact, redactText } from './redact';

describe('redact', () => {
  it('masks sensitive keys at any depth', () => {
    const out = redact({ headers: { authorization: 'Bearer abc', 'stripe-signature': 't=1,v1=ff' }, customer: { email: 'a@b.co', name: 'Ann' } });
    expect(out).toEqual({ headers: { authorization: REDACTED, 'stripe-signature': REDACTED }, customer: { email: REDACTED, name: 'Ann' } });
  });

  it.each([
    ['a Stripe secret key', 'key sk_test_51Habc123 used', 'key [REDACTED] used'],
    ['a webhook secret', 'secret whsec_abcDEF', 'secret [REDACTED]'],
    ['an email', 'customer jenny.rosen@example.com created', 'customer [REDACTED] created'],
    ['a bearer token', 'Authorization: Bearer local-dev-key', 'Authorization: Bearer [REDACTED]'],
    ['a card number', 'card 4242 4242 4242 4242 declined', 'card [REDACTED]declined'],
  ])('removes %s from free text', (_what, input, expected) => {
    expect(redactText(input)).toBe(expected);
  });

  it('keeps errors readable while redacting their message', () => {
    const out = redact(new Error('no customer for bob@example.com')) as { message: string };
    expect(out.message).toBe('no customer for [REDACTED]');
  });
});
