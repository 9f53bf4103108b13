import type { Admin, Kafka } from 'kafkajs';
import type { z } from 'zod';
import { CliEnvParts, kafkaSecurity, loadConfig } from '@customer-sync/config';
import { Topics } from '@customer-sync/contracts';
import { createDb, type Db } from '@customer-sync/db';
import {
  createIdempotentProducer,
  createKafkaClient,
  groupName,
  resolveTopics,
  type SafeProducer,
  type TopicMap,
} from '@customer-sync/kafka';
import { createLogger, type Logger } from '@customer-sync/logger';
import { createStripeClient, type Stripe } from '@customer-sync/stripe-client';
import { UsageError, type Output } from './output';

type Parts = typeof CliEnvParts;

/**
 * What a command may need, made on first use and closed at the end: config parts are validated
 * only when a command asks for them, so each command needs only its own variables.
 */
export class CliContext {
  readonly logger: Logger;
  private readonly closers: (() => Promise<unknown>)[] = [];
  private cache = new Map<string, unknown>();

  constructor(readonly output: Output) {
    const base = loadConfig(CliEnvParts.base);
    this.logger = createLogger({
      service: 'customer-sync-cli',
      level: base.LOG_LEVEL,
      format: base.LOG_FORMAT ?? (base.NODE_ENV === 'production' ? 'json' : 'pretty'),
      stderr: true,
    });
  }

  config<K extends keyof Parts>(part: K): z.infer<Parts[K]> {
    return this.once(`config:${part}`, () => loadConfig(CliEnvParts[part]) as z.infer<Parts[K]>);
  }

  db(): Db {
    return this.once('db', () => {
      const db = createDb({ url: this.config('database').DATABASE_URL, poolMax: 2 });
      this.closers.push(() => db.destroy());
      return db;
    });
  }

  kafka(): Kafka {
    return this.once('kafka', () => {
      const config = this.config('kafka');
      return createKafkaClient({
        brokers: config.KAFKA_BROKERS,
        clientId: config.KAFKA_CLIENT_ID,
        logger: this.logger,
        security: kafkaSecurity(config),
      });
    });
  }

  /** This deployment's topic names (with KAFKA_TOPIC_SUFFIX). */
  topics(): TopicMap {
    return resolveTopics(this.config('kafka').KAFKA_TOPIC_SUFFIX);
  }

  group(base: string): string {
    return groupName(base, this.config('kafka').KAFKA_TOPIC_SUFFIX);
  }

  /** The deployed name of a topic given by its contract name (`customer.requested`, …); a usage error otherwise. */
  topicArg(name: string): string {
    const key = (Object.keys(Topics) as (keyof TopicMap)[]).find((k) => Topics[k] === name);
    if (!key) throw new UsageError(`unknown topic "${name}"; one of: ${Object.values(Topics).join(', ')}`);
    return this.topics()[key];
  }

  async admin(): Promise<Admin> {
    return this.onceAsync('admin', async () => {
      const admin = this.kafka().admin();
      await admin.connect();
      this.closers.push(() => admin.disconnect());
      return admin;
    });
  }

  async producer(): Promise<SafeProducer> {
    return this.onceAsync('producer', async () => {
      const producer = createIdempotentProducer(this.kafka());
      await producer.connect();
      this.closers.push(() => producer.disconnect());
      return producer;
    });
  }

  stripe(): Stripe {
    return this.once('stripe', () => {
      const config = this.config('stripe');
      return createStripeClient({
        secretKey: config.STRIPE_SECRET_KEY,
        apiUrl: config.STRIPE_API_URL,
        maxNetworkRetries: 3,
      });
    });
  }

  async close(): Promise<void> {
    for (const close of this.closers.splice(0).reverse()) await close().catch(() => undefined);
  }

  private once<T>(key: string, make: () => T): T {
    if (!this.cache.has(key)) this.cache.set(key, make());
    return this.cache.get(key) as T;
  }

  private onceAsync<T>(key: string, make: () => Promise<T>): Promise<T> {
    return this.once(key, make);
  }
}
