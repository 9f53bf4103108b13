import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the worker made to Stripe, as the recorder saw it (ms since the epoch). */
export interface RecordedCall {
  method: string;
  path: string;
  idempotencyKey: string | undefined;
  body: string;
  startedAt: number;
  endedAt: number;
}

/**
 * A pass-through HTTP proxy in front of the emulator that records every call the worker makes and
 * how many were open at once: what a test needs to see concurrency and per-customer order from
 * Stripe's side of the wire.
 */
export interface StripeRecorder {
  url: string;
  calls: RecordedCall[];
  /** The most calls that were open at the same moment. */
  maxOpen(): number;
  /** Calls open now. */
  open(): number;
  stop(): Promise<void>;
}

export async function startStripeRecorder(target: string): Promise<StripeRecorder> {
  const upstream = new URL(target);
  const calls: RecordedCall[] = [];
  let open = 0;
  let maxOpen = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const call: RecordedCall = {
        method: req.method!,
        path: req.url!,
        idempotencyKey: req.headers['idempotency-key'] as string | undefined,
        body: body.toString(),
        startedAt: Date.now(),
        endedAt: 0,
      };
      maxOpen = Math.max(maxOpen, ++open);
      const forward = request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: upstream.host },
        },
        (answer) => {
          res.writeHead(answer.statusCode!, answer.headers);
          answer.pipe(res);
          answer.on('end', () => {
            call.endedAt = Date.now();
            open--;
            calls.push(call);
          });
        },
      );
      forward.on('error', (error) => {
        open--;
        res.destroy(error);
      });
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    maxOpen: () => maxOpen,
    open: () => open,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
