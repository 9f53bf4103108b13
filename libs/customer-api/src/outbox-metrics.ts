import { Counter, Gauge, type Registry } from 'prom-client';
import { countUnpublished, oldestUnpublishedAgeSeconds } from '@customer-sync/customer-api-data';
import type { Db } from '@customer-sync/db';

export interface OutboxMetrics {
  published: Counter;
  refused: Counter;
  backlog: Gauge;
  /** Age of the oldest unpublished entry: an outbox that stopped draining, even with a small backlog. */
  oldestAge: Gauge;
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
    const oldestAge: Gauge = new Gauge({
      name: 'outbox_oldest_unpublished_age_seconds',
      help: 'Age of the oldest outbox entry not yet published to Kafka (0 when none waits)',
      registers: [registry],
      collect: async () => oldestAge.set((await oldestUnpublishedAgeSeconds(db)) ?? 0),
    });
    metrics = {
      published: new Counter({
        name: 'outbox_published_total',
        help: 'Outbox entries published to Kafka',
        registers: [registry],
      }),
      refused: new Counter({
        name: 'outbox_refused_total',
        help: 'Outbox entries that can never fit their topic; their customers are marked failed',
        registers: [registry],
      }),
      backlog,
      oldestAge,
    };
    byRegistry.set(registry, metrics);
  }
  return metrics;
}
