import type { RequestHandler } from 'express';
import { StripeApiError } from './stripe-errors';

/** Test controls over which keys the emulator refuses: revoked ones get 401, forbidden ones 403. */
export interface KeyControls {
  revoked: Set<string>;
  forbidden: Set<string>;
}

/** The emulator's start (and reset) state: every `sk_test_`/`rk_test_` key is taken. */
export const allKeysAccepted = (): KeyControls => ({ revoked: new Set(), forbidden: new Set() });

/** Stripe takes the secret key as a bearer token or as the Basic-auth user name (`curl -u sk_test_…:`). */
function apiKeyOf(header: string): string {
  if (header.startsWith('Bearer ')) return header.slice(7);
  if (header.startsWith('Basic ')) return Buffer.from(header.slice(6), 'base64').toString().split(':')[0] ?? '';
  return '';
}

/** As Stripe shows a key in errors: its mode prefix and last four characters, the rest starred. */
const masked = (key: string) => {
  const prefix = /^(sk|rk)_(test|live)_/.exec(key)?.[0] ?? '';
  return `${prefix}${'*'.repeat(Math.max(4, key.length - prefix.length - 4))}${key.slice(-4)}`;
};

/**
 * Stripe's answers to a key it will not take: 401 `invalid_request_error` for an unknown or
 * non-test key ("Invalid API Key provided"), 401 `api_key_expired` for a revoked or expired one,
 * and 403 for a restricted key without the permission (the SDK raises StripeAuthenticationError
 * and StripePermissionError for 401 and 403).
 */
export function authenticate(keys: KeyControls): RequestHandler {
  return (req, _res, next) => {
    const key = apiKeyOf(req.header('authorization') ?? '');
    if (!key)
      return next(
        new StripeApiError(
          401,
          'invalid_request_error',
          undefined,
          'You did not provide an API key. Provide it as a Bearer token in the Authorization header.',
        ),
      );
    if (!/^(sk|rk)_test_\w+$/.test(key))
      return next(
        new StripeApiError(401, 'invalid_request_error', undefined, `Invalid API Key provided: ${masked(key)}`),
      );
    if (keys.revoked.has(key)) {
      return next(
        new StripeApiError(
          401,
          'invalid_request_error',
          'api_key_expired',
          `Expired API Key provided: ${masked(key)}. Platform access may have been revoked.`,
        ),
      );
    }
    if (keys.forbidden.has(key)) {
      return next(
        new StripeApiError(
          403,
          'invalid_request_error',
          undefined,
          `The provided key '${masked(key)}' does not have the required permissions for this endpoint on account 'acct_emulator'.`,
        ),
      );
    }
    next();
  };
}
