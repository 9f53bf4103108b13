import type { Kafka } from 'kafkajs';
import { dlqTopicOf } from '@customer-sync/contracts';
import type { CustomerRow, Db } from '@customer-sync/db';
import { DlqHeaders, headersToStrings, type TopicMap } from '@customer-sync/kafka';
import type { Stripe } from '@customer-sync/stripe-client';
import { valuesOf, type CustomerValues } from './customer-values';

/** One customer event in Stripe's log, reduced to what the checker needs. */
export interface StripeLogEntry {
  eventId: string;
  type: string;
  stripeId: string;
  /** Who made the change: `customer-sync:…` is the worker, `fault-suite:…` the load's Stripe-side edits. */
  idempotencyKey: string | null;
  values: CustomerValues;
}

export interface LiveStripeCustomer {
  id: string;
  internalId: string | undefined;
  values: CustomerValues;
}

export interface DeadLetter {
  topic: string;
  key: string;
  error: string;
  value: string;
}

/** Everything the invariant checker reads from PostgreSQL, Stripe and Kafka at one moment. */
export interface SystemState {
  rows: CustomerRow[];
  outboxUnpublished: number;
  liveStripe: LiveStripeCustomer[];
  /** Oldest first: Stripe's order. */
  stripeLog: StripeLogEntry[];
  /** db-writer's outcome per Stripe event id (processed_events), for the report's event trails. */
  eventOutcomes: Map<string, string>;
  dlqCounts: Record<string, number>;
  /** Read only for the final report (a consumer group join costs seconds). */
  deadLetters?: DeadLetter[];
}

async function dlqCounts(kafka: Kafka, topics: string[]): Promise<Record<string, number>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const counts: Record<string, number> = {};
    for (const topic of topics) {
      const offsets = await admin.fetchTopicOffsets(topic);
      counts[topic] = offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
    }
    return counts;
  } finally {
    await admin.disconnect();
  }
}

async function readDeadLetters(kafka: Kafka, topics: string[], expected: number): Promise<DeadLetter[]> {
  const letters: DeadLetter[] = [];
  if (expected === 0) return letters;
  const consumer = kafka.consumer({ groupId: `fault-suite-dlq-reader-${Date.now()}`, maxWaitTimeInMs: 200 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ topic, message }) => {
        const headers = headersToStrings(message.headers);
        letters.push({
          topic,
          key: message.key?.toString() ?? '',
          error: headers[DlqHeaders.error] ?? '',
          value: (message.value?.toString() ?? '').slice(0, 200),
        });
      },
    });
    const deadline = Date.now() + 20_000;
    while (letters.length < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  } finally {
    await consumer.disconnect();
  }
  return letters;
}

/** Reads the state of the whole system: rows and outbox, Stripe's customers and event log, the DLQs. */
export async function readSystemState(
  deps: { db: Db; stripe: Stripe; kafka: Kafka; topics: TopicMap },
  withDeadLetters: boolean,
): Promise<SystemState> {
  const dlqTopics = Object.values(deps.topics).map(dlqTopicOf);
  const [rows, processed, outbox, customers, events, counts] = await Promise.all([
    deps.db<CustomerRow>('customers').select('*'),
    deps.db<{ event_id: string; outcome: string }>('processed_events').select('event_id', 'outcome'),
    deps.db('outbox').whereNull('published_at').count<{ n: string }[]>('* as n'),
    deps.stripe.customers.list({ limit: 100 }).autoPagingToArray({ limit: 10_000 }),
    deps.stripe.events.list({ limit: 100 }).autoPagingToArray({ limit: 10_000 }),
    dlqCounts(deps.kafka, dlqTopics),
  ]);
  const stripeLog = events
    .filter((e) => e.type.startsWith('customer.'))
    .reverse()
    .map((e) => {
      const object = e.data.object as Stripe.Customer;
      return {
        eventId: e.id,
        type: e.type,
        stripeId: object.id,
        idempotencyKey: e.request?.idempotency_key ?? null,
        values: valuesOf(object),
      };
    });
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  return {
    rows,
    outboxUnpublished: Number(outbox[0]?.n ?? 0),
    liveStripe: customers.map((c) => ({
      id: c.id,
      internalId: c.metadata?.customer_sync_id || undefined,
      values: valuesOf(c),
    })),
    stripeLog,
    eventOutcomes: new Map(processed.map((p) => [p.event_id, p.outcome])),
    dlqCounts: counts,
    deadLetters: withDeadLetters ? await readDeadLetters(deps.kafka, dlqTopics, total) : undefined,
  };
}
