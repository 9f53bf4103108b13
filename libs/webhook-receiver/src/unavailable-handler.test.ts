import type { IncomingMessage, ServerResponse } from 'node:http';
import { Registry } from 'prom-client';
import { ingressMetrics } from './ingress-metrics';
import { kafkaUnavailableHandler } from './unavailable-handler';

describe('kafkaUnavailableHandler', () => {
  it('answers 503 kafka_unavailable without reading the body, closes the connection and counts the refusal', async () => {
    const registry = new Registry();
    const answered: { status?: number; headers?: Record<string, unknown>; body?: string } = {};
    const res = {
      writeHead: (status: number, headers: Record<string, unknown>) => Object.assign(answered, { status, headers }),
      end: (body: string) => void (answered.body = body),
    } as unknown as ServerResponse;

    kafkaUnavailableHandler(ingressMetrics(registry))({} as IncomingMessage, res);

    expect(answered.status).toBe(503);
    expect(answered.headers).toMatchObject({ connection: 'close' });
    expect(JSON.parse(answered.body!)).toMatchObject({ error: { code: 'kafka_unavailable' } });
    expect(await registry.metrics()).toMatch(/webhook_events_rejected_total\{reason="kafka_unavailable"\} 1/);
  });
});
