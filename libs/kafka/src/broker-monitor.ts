import type { Admin, Kafka } from 'kafkajs';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Logger } from '@customer-sync/logger';
import { readGroupLag } from './broker-offsets';
import { dlqDepth } from './dlq-cursor';

/** Which group and topics to watch, and where to report. */
export interface BrokerMonitorOptions {
  kafka: Kafka;
  groupId: string;
  /** The topics the group consumes; their DLQs are watched too. */
  topics: string[];
  registry: Registry;
  logger: Logger;
  intervalMs?: number;
}

interface BrokerGauges {
  lag: Gauge<'group' | 'topic' | 'partition'>;
  dlqDepth: Gauge<'topic'>;
  errors: Counter<'group'>;
}

const byRegistry = new WeakMap<Registry, BrokerGauges>();

function gauges(registry: Registry): BrokerGauges {
  let found = byRegistry.get(registry);
  if (!found) {
    found = {
      lag: new Gauge({
        name: 'kafka_consumer_lag',
        help: 'Messages a consumer group still has to process, read from the broker (committed offset vs high watermark), so it stays true when the consumer is idle or stalled',
        labelNames: ['group', 'topic', 'partition'],
        registers: [registry],
      }),
      dlqDepth: new Gauge({
        name: 'kafka_dlq_depth',
        help: 'Messages waiting in <topic>.dlq: neither replayed nor purged (label: the source topic)',
        labelNames: ['topic'],
        registers: [registry],
      }),
      errors: new Counter({
        name: 'kafka_lag_read_errors_total',
        help: 'Failed reads of consumer lag or DLQ depth from the broker',
        labelNames: ['group'],
        registers: [registry],
      }),
    };
    byRegistry.set(registry, found);
  }
  return found;
}

/**
 * Reads the group's lag and its topics' DLQ depths from the broker on a timer of its own, apart
 * from the consume loop, so the numbers keep moving when the consumer idles or hangs.
 */
export function startBrokerMonitor(options: BrokerMonitorOptions): { stop(): Promise<void> } {
  const metrics = gauges(options.registry);
  let admin: Admin | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  const read = async () => {
    try {
      if (!admin) {
        admin = options.kafka.admin({ retry: { retries: 0 } });
        await admin.connect();
      }
      if (stopped) {
        await admin.disconnect().catch(() => undefined);
        return;
      }
      for (const p of await readGroupLag(admin, options.groupId, options.topics)) {
        metrics.lag.set({ group: options.groupId, topic: p.topic, partition: String(p.partition) }, p.lag);
      }
      for (const topic of options.topics) metrics.dlqDepth.set({ topic }, await dlqDepth(admin, topic));
    } catch (error) {
      metrics.errors.inc({ group: options.groupId });
      options.logger.debug('could not read consumer lag from the broker', { error });
      await admin?.disconnect().catch(() => undefined);
      admin = undefined;
    }
  };
  const tick = () => {
    if (!running && !stopped) running = read().finally(() => (running = undefined));
  };
  tick();
  const timer = setInterval(tick, options.intervalMs ?? 15_000);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      // A read stuck on an unreachable broker must not hold up the service's shutdown.
      await Promise.race([running, new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
      // A read that outlives the wait disconnects its own admin when it sees `stopped`.
      await admin?.disconnect().catch(() => undefined);
    },
  };
}
