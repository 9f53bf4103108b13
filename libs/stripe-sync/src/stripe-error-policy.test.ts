import { classifyStripeError } from './stripe-error-policy';

describe('classifyStripeError', () => {
  it.each([
    ['a network error', { type: 'StripeConnectionError', message: 'ECONNREFUSED' }, 'transient'],
    ['429', { type: 'StripeRateLimitError', statusCode: 429 }, 'transient'],
    ['500', { type: 'StripeAPIError', statusCode: 500 }, 'transient'],
    ['503', { statusCode: 503 }, 'transient'],
    ['a 409 lock conflict', { statusCode: 409, type: 'StripeIdempotencyError' }, 'transient'],
    ['400 bad parameter', { statusCode: 400, code: 'parameter_invalid', message: 'Invalid email' }, 'permanent'],
    ['400 idempotency mismatch', { statusCode: 400, type: 'StripeIdempotencyError' }, 'permanent'],
    [
      '401 (a wrong, revoked or expired key)',
      { statusCode: 401, type: 'StripeAuthenticationError', code: 'api_key_expired' },
      'unauthorized',
    ],
    [
      '403 (a restricted key without the permission)',
      { statusCode: 403, type: 'StripePermissionError' },
      'unauthorized',
    ],
    ['404 resource_missing', { statusCode: 404, code: 'resource_missing' }, 'missing'],
  ])('%s is %s', (_case, error, kind) => {
    expect(classifyStripeError(error).kind).toBe(kind);
  });

  it('reads Retry-After in seconds', () => {
    expect(classifyStripeError({ statusCode: 429, headers: { 'retry-after': '2' } })).toMatchObject({
      kind: 'transient',
      retryAfterMs: 2000,
    });
  });

  it('keeps Stripe’s message for permanent errors', () => {
    expect(
      classifyStripeError({ statusCode: 400, code: 'email_invalid', message: 'Invalid email address: x' }),
    ).toEqual({
      kind: 'permanent',
      code: 'email_invalid',
      message: 'Invalid email address: x',
    });
  });
});
