import type { IncomingMessage, ServerResponse } from 'node:http';
import type { IngressMetrics } from './ingress-metrics';

const BODY = JSON.stringify({
  error: { code: 'kafka_unavailable', message: 'the event could not be stored; retry later' },
});

/**
 * The webhook route while Kafka is not connected yet, so the topic's size limit (and with it the
 * largest body that can be stored) is unknown: every request gets 503 kafka_unavailable, which
 * Stripe retries. The body is not read (its limit is unknown), and the connection is closed.
 */
export function kafkaUnavailableHandler(metrics: IngressMetrics) {
  return (_req: IncomingMessage, res: ServerResponse): void => {
    metrics.rejected.inc({ reason: 'kafka_unavailable' });
    res.writeHead(503, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(BODY),
      connection: 'close',
    });
    res.end(BODY);
  };
}
