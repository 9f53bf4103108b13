/** What to do about a failed Stripe call. */
export type StripeFailure =
  | { kind: 'transient'; reason: string; retryAfterMs?: number }
  | { kind: 'permanent'; code: string; message: string }
  /** 401/403: Stripe refuses the key itself, so every call would fail alike (an outage, not a bad customer). */
  | { kind: 'unauthorized'; status: number; message: string }
  | { kind: 'missing'; message: string };

interface StripeLikeError {
  type?: string;
  statusCode?: number;
  code?: string;
  message?: string;
  headers?: Record<string, string | undefined>;
}

function retryAfterMs(headers: StripeLikeError['headers']): number | undefined {
  const raw = headers?.['retry-after'];
  if (raw === undefined) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/**
 * 429, 5xx and network failures are transient; 401 (StripeAuthenticationError: wrong, revoked or
 * expired key) and 403 (StripePermissionError: restricted key lacking the permission) are
 * `unauthorized`; `resource_missing` is reported separately (the caller decides); every other 4xx
 * is permanent and carries Stripe's message. Status codes per Stripe's "Errors" API reference.
 */
export function classifyStripeError(error: unknown): StripeFailure {
  const e = (error ?? {}) as StripeLikeError;
  const status = e.statusCode;
  if (e.type === 'StripeConnectionError' || status === undefined)
    return { kind: 'transient', reason: e.message ?? 'network error' };
  if (status === 429 || e.type === 'StripeRateLimitError')
    return { kind: 'transient', reason: 'rate limited', retryAfterMs: retryAfterMs(e.headers) };
  if (status >= 500 || status === 409) return { kind: 'transient', reason: `Stripe answered ${status}` };
  if (status === 401 || status === 403)
    return { kind: 'unauthorized', status, message: `Stripe answered ${status}: ${e.message ?? 'API key refused'}` };
  if (status === 404 && e.code === 'resource_missing')
    return { kind: 'missing', message: e.message ?? 'resource missing' };
  return {
    kind: 'permanent',
    code: e.code ?? e.type ?? `http_${status}`,
    message: e.message ?? `Stripe answered ${status}`,
  };
}
