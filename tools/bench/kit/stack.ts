// The suite's own infrastructure: a dedicated Kafka broker on free ports and databases of its own
// on the shared PostgreSQL server (never the shared broker, never another run's databases).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Admin, Kafka } from 'kafkajs';
import { createDb, migrateLatest } from '@customer-sync/db';
import {
  createKafkaClient,
  createIdempotentProducer,
  ensureTopics,
  groupName,
  publish,
  resolveTopics,
  type OutgoingMessage,
  type TopicMap,
} from '@customer-sync/kafka';
import {
  databaseUrl,
  dedicatedBroker,
  dedicatedBrokerDir,
  freePortRange,
  testLogger,
  uniqueSuffix,
  withAdminClient,
} from '@customer-sync/testing';

/** Partitions of every topic the suite creates (the services' default). */
export const PARTITIONS = 6;

export interface Stack {
  brokers: string;
  brokerPid(): number;
  kafka: Kafka;
  kafkaAdmin: Admin;
  /** A fresh migrated database (cloned from this run's template); dropped by close(). */
  database(): Promise<{ name: string; url: string }>;
  /** A fresh topic suffix with its three topics (and DLQs) created. */
  topics(): Promise<{ suffix: string; topics: TopicMap }>;
  close(): Promise<void>;
}

/**
 * Starts the broker, trying twice: on a loaded machine the JVM can miss the start script's time
 * limit, and a broker left half-started must not outlive the run.
 */
async function startBroker(broker: ReturnType<typeof dedicatedBroker>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return void (await broker.start());
    } catch (error) {
      await broker.destroy().catch(() => undefined);
      if (attempt === 2) throw error;
    }
  }
}

/** Starts the broker, migrates a template database; close() removes both and every clone. */
export async function startStack(): Promise<Stack> {
  const port = await freePortRange(2);
  const broker = dedicatedBroker(port);
  await startBroker(broker);
  const brokers = `127.0.0.1:${port}`;
  const kafka = createKafkaClient({ brokers: [brokers], clientId: 'bench', logger: testLogger('bench') });
  const kafkaAdmin = kafka.admin();
  await kafkaAdmin.connect();
  const run = `bench_${uniqueSuffix()}`;
  const template = `${run}_tpl`;
  await withAdminClient((c) => c.query(`create database ${template}`));
  const db = createDb({ url: databaseUrl(template) });
  await migrateLatest(db).finally(() => db.destroy());
  const created: string[] = [template];
  // One CREATE DATABASE at a time: clones of one template are made in turn.
  let queue: Promise<unknown> = Promise.resolve();
  return {
    brokers,
    brokerPid: () => Number(readFileSync(join(dedicatedBrokerDir(port), 'kafka.pid'), 'utf8')),
    kafka,
    kafkaAdmin,
    async database() {
      const name = `${run}_${created.length}`;
      created.push(name);
      const done = queue.then(() => withAdminClient((c) => c.query(`create database ${name} template ${template}`)));
      queue = done.catch(() => undefined);
      await done;
      return { name, url: databaseUrl(name) };
    },
    async topics() {
      const suffix = uniqueSuffix();
      const topics = resolveTopics(suffix);
      await ensureTopics(kafka, Object.values(topics), { partitions: PARTITIONS, replicationFactor: 1 });
      return { suffix, topics };
    },
    async close() {
      await kafkaAdmin.disconnect();
      await withAdminClient(async (c) => {
        for (const name of created.reverse()) await c.query(`drop database if exists ${name} with (force)`);
      });
      await broker.destroy();
    },
  };
}

/** Writes messages to a topic in batches of 1,000 (acks=all, as the services publish). */
export async function prefill(stack: Stack, topic: string, messages: Iterable<OutgoingMessage>): Promise<number> {
  const producer = createIdempotentProducer(stack.kafka);
  await producer.connect();
  let batch: OutgoingMessage[] = [];
  let count = 0;
  try {
    for (const message of messages) {
      batch.push(message);
      if (batch.length === 1000) {
        await publish(producer, topic, batch);
        count += batch.length;
        batch = [];
      }
    }
    await publish(producer, topic, batch);
    return count + batch.length;
  } finally {
    await producer.disconnect();
  }
}

/** Messages in a topic (sum of its partitions' end offsets; the suite's topics start empty). */
export async function messageCount(stack: Stack, topic: string): Promise<number> {
  const offsets = await stack.kafkaAdmin.fetchTopicOffsets(topic);
  return offsets.reduce((sum, p) => sum + Number(p.high), 0);
}

/** Whether the service's consumer group has committed every message of the topic. */
export async function allCommitted(stack: Stack, service: string, suffix: string, topic: string): Promise<boolean> {
  const [ends, [committed]] = await Promise.all([
    stack.kafkaAdmin.fetchTopicOffsets(topic),
    stack.kafkaAdmin.fetchOffsets({ groupId: groupName(service, suffix), topics: [topic] }),
  ]);
  const done = new Map((committed?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
  return ends.every((p) => (done.get(p.partition) ?? -1) >= Number(p.high));
}

/** Environment every service gets for the suite's broker and this round's topics. */
export const kafkaEnvFor = (stack: Stack, suffix: string): Record<string, string> => ({
  KAFKA_BROKERS: stack.brokers,
  KAFKA_CLIENT_ID: 'bench',
  KAFKA_TOPIC_SUFFIX: suffix,
  KAFKA_TOPIC_PARTITIONS: String(PARTITIONS),
});
