import type { IncomingMessage, ServerResponse } from 'node:http';
import { StripeEventHead } from '@customer-sync/contracts';
import type { Logger } from '@customer-sync/logger';
import { MessageTooLargeError, type OutgoingMessage } from '@customer-sync/kafka';
import type { IngressMetrics } from './ingress-metrics';
import type { Verification } from './signature-verifier';
import { longIdOf } from './event-ids';
import { stripeEventMessage } from './stripe-event-message';

export interface WebhookHandlerOptions {
  verify: (rawBody: Buffer, signature: string | undefined) => Verification;
  /** Resolves once Kafka acknowledged the message (acks=all); rejects with MessageTooLargeError when it can never fit. */
  publish: (message: OutgoingMessage) => Promise<void>;
  /** The configured HTTP body limit, in bytes (WEBHOOK_BODY_LIMIT_BYTES): above it, 413 payload_too_large. */
  limitBytes: number;
  /** The largest body whose message fits stripe.events (maxEventBodyBytes): above it, 413 event_too_large. */
  eventLimitBytes: number;
  publishTimeoutMs: number;
  metrics: IngressMetrics;
  logger: Logger;
}

const RECEIVED = Buffer.from('{"received":true}');
const MESSAGES: Record<string, string> = {
  missing_signature: 'the Stripe-Signature header is missing',
  invalid_signature: 'the Stripe-Signature does not match the body, or its timestamp is outside the tolerance',
  invalid_json: 'the body is not JSON',
  invalid_encoding: 'the body is not UTF-8',
  not_an_event: 'the body is not a Stripe event',
  id_too_long: 'an id of the event (id, data.object.id or data.object.customer) is longer than 255 characters',
  payload_too_large: 'the body is larger than the limit',
  event_too_large: 'the event is larger than the largest message the event log accepts; it can never be stored',
  kafka_unavailable: 'the event could not be stored; retry later',
};

function answer(res: ServerResponse, status: number, body: Buffer | string) {
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function refuse(res: ServerResponse, status: number, code: string, metrics: IngressMetrics) {
  metrics.rejected.inc({ reason: code });
  answer(res, status, JSON.stringify({ error: { code, message: MESSAGES[code] } }));
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error(`no Kafka acknowledgement within ${ms} ms`)), ms)),
  );
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * POST /stripe/webhook on plain node:http (the hot path): raw body, signature check, then publish
 * and answer 200 only after Kafka acknowledged; 503 when it does not, so Stripe retries. A body
 * that can never be stored (above the HTTP limit or too large for the topic) gets 413 instead.
 */
export function createWebhookHandler(options: WebhookHandlerOptions) {
  const { metrics } = options;
  const maxBytes = Math.min(options.limitBytes, options.eventLimitBytes);
  // Both are permanent refusals: Stripe gives up after its retries instead of retrying for days.
  const tooLarge = (size: number) => (size > options.limitBytes ? 'payload_too_large' : 'event_too_large');
  return (req: IncomingMessage, res: ServerResponse): void => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > maxBytes) {
      res.setHeader('connection', 'close');
      return refuse(res, 413, tooLarge(declared), metrics);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    // A client that hangs up mid-body: nothing to answer and nothing failed here.
    req.on('error', () => options.logger.info('webhook client closed the request before it was read'));
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > maxBytes) return refuse(res, 413, tooLarge(size), metrics);
      const raw = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      const verified = options.verify(raw, req.headers['stripe-signature'] as string | undefined);
      if (!verified.ok) return refuse(res, 400, verified.reason, metrics);
      const longId = longIdOf(verified.event);
      if (longId) {
        options.logger.warn('a signed Stripe event has an id longer than 255 characters; answering 400', { ...longId });
        return refuse(res, 400, 'id_too_long', metrics);
      }
      // Only what routing reads: the event goes on as its verified body, never re-serialised.
      const parsed = StripeEventHead.safeParse(verified.event);
      if (!parsed.success) return refuse(res, 400, 'not_an_event', metrics);
      const event = parsed.data;
      const end = metrics.publishSeconds.startTimer();
      withTimeout(options.publish(stripeEventMessage(event, verified.body)), options.publishTimeoutMs).then(
        () => {
          end();
          metrics.accepted.inc({ type: event.type });
          answer(res, 200, RECEIVED);
        },
        (error) => {
          if (error instanceof MessageTooLargeError) {
            options.logger.warn('a Stripe event cannot fit stripe.events; answering 413', {
              eventId: event.id,
              sizeBytes: error.sizeBytes,
              limitBytes: error.limitBytes,
            });
            return refuse(res, 413, 'event_too_large', metrics);
          }
          options.logger.warn('could not publish a Stripe event; answering 503 so Stripe retries', {
            eventId: event.id,
            error,
          });
          refuse(res, 503, 'kafka_unavailable', metrics);
        },
      );
    });
  };
}
