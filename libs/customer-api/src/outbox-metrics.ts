import { Counter, Gauge, type Registry } from 'prom-client';
import { countUnpublished, type Db } from '@customer-sync/db';

export interface OutboxMetrics {
  published: Counter;
  refused: Counter;
  backlog: Gauge;
}

const byRegistry = new WeakMap<Registry, OutboxMetrics>();

/**
 * One set of outbox metrics per registry, so a relay created again (a background start that retries
 * after its Kafka side failed) does not register the same names twice.
 */
export function outboxMetrics(registry: Registry, db: Db): OutboxMetrics {
  let metrics = byRegistry.get(registry);
  if (!metrics) {
    const backlog: Gauge = new Gauge({
      name: 'outbox_unpublished',
      help: 'Outbox entries waiting for Kafka',
      registers: [registry],
      collect: async () => backlog.set(await countUnpublished(db)),
    });
    metrics = {
      published: new Counter({ name: 'outbox_published_total', help: 'Outbox entries published to Kafka', registers: [registry] }),
      refused: new Counter({
        name: 'outbox_refused_total',
        help: 'Outbox entries that can never fit their topic; their customers are marked failed',
        registers: [registry],
      }),
      backlog,
    };
    byRegistry.set(registry, metrics);
  }
  return metrics;
}
