import { Counter, type Registry } from 'prom-client';

export interface ProducerMetrics {
  replaced: Counter;
  refused: Counter<'topic' | 'reason'>;
}

const byRegistry = new WeakMap<Registry, ProducerMetrics>();

/** One set of producer metrics per registry, however many producers a process runs. */
export function producerMetrics(registry: Registry): ProducerMetrics {
  let metrics = byRegistry.get(registry);
  if (!metrics) {
    metrics = {
      replaced: new Counter({
        name: 'kafka_producer_replaced_total',
        help: 'Producers discarded after a failed produce request and replaced by one with a new producer id',
        registers: [registry],
      }),
      refused: new Counter({
        name: 'kafka_producer_refused_total',
        help: 'Messages refused before sending, by reason (message_too_large)',
        labelNames: ['topic', 'reason'],
        registers: [registry],
      }),
    };
    byRegistry.set(registry, metrics);
  }
  return metrics;
}
