import { Counter, Histogram, type Registry } from 'prom-client';

export function ingressMetrics(registry: Registry) {
  return {
    accepted: new Counter({
      name: 'webhook_events_accepted_total',
      help: 'Verified events acknowledged after Kafka accepted them',
      labelNames: ['type'],
      registers: [registry],
    }),
    rejected: new Counter({
      name: 'webhook_events_rejected_total',
      help: 'Webhook requests refused, by reason',
      labelNames: ['reason'],
      registers: [registry],
    }),
    publishSeconds: new Histogram({
      name: 'webhook_publish_duration_seconds',
      help: 'Time from verified event to Kafka acknowledgement',
      buckets: [0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
      registers: [registry],
    }),
  };
}

export type IngressMetrics = ReturnType<typeof ingressMetrics>;
