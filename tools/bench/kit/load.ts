// Bounded HTTP load on loopback (autocannon in this process).
import autocannon from 'autocannon';

export interface LoadResult {
  /** Completed 2xx requests per second over the run. */
  rps: number;
  p50: number;
  p99: number;
  ok: number;
  failed: number;
  /** Answers by HTTP status, and `errors`/`timeouts` for requests that got none. */
  statuses: Record<string, number>;
}

export interface LoadOptions {
  url: string;
  connections: number;
  /** Seconds to run, or `amount` requests in all. */
  duration?: number;
  amount?: number;
  /** Requests per second over all connections (a steady load); unset = as fast as answered. */
  overallRate?: number;
  headers?: Record<string, string>;
  /** A fresh body (and headers) per request. */
  next(): { body: string; headers?: Record<string, string> };
}

/** Posts `next()` bodies to `url` until the duration or amount is reached. */
export async function postLoad(options: LoadOptions): Promise<LoadResult> {
  const started = Date.now();
  const result = await autocannon({
    url: options.url,
    method: 'POST',
    connections: options.connections,
    ...(options.amount ? { amount: options.amount } : { duration: options.duration ?? 10 }),
    ...(options.overallRate ? { overallRate: options.overallRate } : {}),
    headers: { 'content-type': 'application/json', ...options.headers },
    requests: [
      {
        setupRequest: (req) => {
          const { body, headers } = options.next();
          return { ...req, body, headers: { ...req.headers, ...headers } };
        },
      },
    ],
  });
  const seconds = (Date.now() - started) / 1000;
  const ok = result['2xx'];
  const statuses: Record<string, number> = { errors: result.errors, timeouts: result.timeouts };
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {}))
    statuses[code] = (stat as { count: number }).count;
  return {
    rps: Math.round(ok / seconds),
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok,
    failed: result.non2xx + result.errors + result.timeouts,
    statuses,
  };
}
