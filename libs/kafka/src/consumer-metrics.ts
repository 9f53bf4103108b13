import { Counter, type Registry } from 'prom-client';

export interface ConsumerMetrics {
  messages: Counter<'topic' | 'outcome'>;
  retries: Counter<'topic'>;
  dlqFailures: Counter<'topic'>;
}

const byRegistry = new WeakMap<Registry, ConsumerMetrics>();

/** One set of consumer metrics per registry, however many consumers a process runs. */
export function consumerMetrics(registry: Registry): ConsumerMetrics {
  let metrics = byRegistry.get(registry);
  if (!metrics) {
    metrics = {
      messages: new Counter({
        name: 'kafka_consumer_messages_total',
        help: 'Messages consumed, by outcome (processed, dead_lettered, dead_lettered_truncated)',
        labelNames: ['topic', 'outcome'],
        registers: [registry],
      }),
      retries: new Counter({
        name: 'kafka_consumer_retries_total',
        help: 'Handler attempts that failed transiently and were retried',
        labelNames: ['topic'],
        registers: [registry],
      }),
      dlqFailures: new Counter({
        name: 'kafka_consumer_dlq_publish_failures_total',
        help: 'Attempts to store a dead letter that failed; the source offset stays uncommitted and the attempt is retried',
        labelNames: ['topic'],
        registers: [registry],
      }),
    };
    byRegistry.set(registry, metrics);
  }
  return metrics;
}
