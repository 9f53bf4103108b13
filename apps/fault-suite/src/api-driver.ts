import type { Customer } from '@customer-sync/contracts';

/** How an API request ended: an answer, or none before the deadline (its effect is unknown). */
export type ApiOutcome =
  | { answered: true; status: number; body: Customer & { error?: { code: string; message: string } }; attempts: number }
  | { answered: false; attempts: number; lastError: string };

const ATTEMPT_TIMEOUT_MS = 10_000;

const parseBody = (text: string) => {
  try {
    return text ? JSON.parse(text) : {};
  } catch {
    return { error: { code: 'not_json', message: text.slice(0, 200) } };
  }
};

/**
 * A REST client as a careful team would write one: every write carries an Idempotency-Key, and a
 * request that got no answer (connection refused or cut, timeout) or a 5xx is sent again with the
 * same key until it is answered or the deadline passes.
 */
export function apiDriver(baseUrl: string, apiKey: string, onRetry: () => void) {
  const send = async (
    method: string,
    path: string,
    body: unknown,
    key: string | undefined,
    deadlineMs: number,
  ): Promise<ApiOutcome> => {
    const deadline = Date.now() + deadlineMs;
    let lastError = '';
    for (let attempts = 1; ; attempts++) {
      try {
        const response = await fetch(`${baseUrl}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${apiKey}`,
            ...(key && { 'idempotency-key': key }),
            ...(body !== undefined && { 'content-type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
        });
        const text = await response.text();
        if (response.status < 500) return { answered: true, status: response.status, body: parseBody(text), attempts };
        lastError = `${response.status} ${text.slice(0, 200)}`;
      } catch (error) {
        lastError = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      }
      if (Date.now() > deadline) return { answered: false, attempts, lastError };
      if (key && attempts === 1) onRetry();
      await new Promise((r) => setTimeout(r, 300));
    }
  };
  return {
    create: (input: unknown, key: string, deadlineMs: number) => send('POST', '/customers', input, key, deadlineMs),
    update: (id: string, input: unknown, key: string, deadlineMs: number) =>
      send('PATCH', `/customers/${id}`, input, key, deadlineMs),
    remove: (id: string, key: string, deadlineMs: number) =>
      send('DELETE', `/customers/${id}`, undefined, key, deadlineMs),
    get: (id: string, deadlineMs: number) => send('GET', `/customers/${id}`, undefined, undefined, deadlineMs),
    /** GET /customers?email=… — how a client finds the row of a customer that came from Stripe. */
    findByEmail: (email: string, deadlineMs: number) =>
      send('GET', `/customers?email=${encodeURIComponent(email)}`, undefined, undefined, deadlineMs),
  };
}

export type ApiDriver = ReturnType<typeof apiDriver>;
