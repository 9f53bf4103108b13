import { TEST_API_KEY, waitFor } from '@customer-sync/testing';

/** A minimal client of the REST API, as a team calling it would write one. */
export function apiClient(baseUrl: string) {
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${TEST_API_KEY}`,
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
  return {
    create: (body: unknown, headers?: Record<string, string>) => call('POST', '/customers', body, headers),
    get: (id: string) => call('GET', `/customers/${id}`),
    update: (id: string, body: unknown) => call('PATCH', `/customers/${id}`, body),
    remove: (id: string) => call('DELETE', `/customers/${id}`),
  };
}

/** Waits until the API answers the customer with a sync status other than `pending`, and returns that answer. */
export const settledCustomer = (api: ReturnType<typeof apiClient>, id: string, what = `customer ${id} synced`) =>
  waitFor(
    async () => {
      const res = await api.get(id);
      return res.body.syncStatus !== 'pending' ? res.body : undefined;
    },
    { what, timeoutMs: 30_000 },
  );
