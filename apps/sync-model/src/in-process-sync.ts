import { Registry } from 'prom-client';
import {
  CustomerRequested,
  makeEnvelope,
  parseEnvelope,
  StripeEvent,
  type CustomerSyncResult,
} from '@customer-sync/contracts';
import { createCustomerService, type CustomerService } from '@customer-sync/customer-api';
import {
  applyStripeEvents,
  createWriterMetrics,
  handleSyncResult,
  type ApplierDeps,
} from '@customer-sync/customer-writer';
import type { Db } from '@customer-sync/db';
import { createLogger } from '@customer-sync/logger';
import type { RunningEmulator } from '@customer-sync/stripe-emulator-core';
import type { Stripe } from '@customer-sync/stripe-client';
import { createStripeCaller, RateLimiter, syncCustomer } from '@customer-sync/stripe-sync';

/**
 * The four services' domain functions in one process, with every queue between them made explicit
 * so a test decides what moves when: outbox → commands (per customer, in order, as Kafka keys them)
 * → worker → results (per customer, in order) → db-writer; Stripe events → a delivery buffer from
 * which a test delivers any subset, in any order, any number of times.
 */
export class InProcessSync {
  readonly service: CustomerService;
  readonly commands = new Map<string, CustomerRequested[]>();
  readonly results = new Map<string, CustomerSyncResult[]>();
  /** Events Stripe emitted that were not delivered yet (a delivered one may be delivered again). */
  undelivered: StripeEvent[] = [];
  readonly delivered: StripeEvent[] = [];
  private seenEvents = new Set<string>();
  private readonly writer: ApplierDeps;
  private readonly call = createStripeCaller({
    limiter: new RateLimiter(10_000, 10_000),
    maxAttempts: 3,
    backoff: { baseMs: 1, maxMs: 5 },
    logger: createLogger({ service: 'model', silent: true }),
    registry: new Registry(),
  });

  constructor(
    private readonly db: Db,
    readonly stripe: Stripe,
    private readonly emulator: RunningEmulator,
  ) {
    this.service = createCustomerService({ db, requestedTopic: 'customer.requested' });
    const logger = createLogger({ service: 'model', silent: true });
    this.writer = { db, stripe, logger, metrics: createWriterMetrics(new Registry()), livemode: false };
  }

  async reset(): Promise<void> {
    // DELETE, not TRUNCATE: far faster on tables this small, and this runs 200 times.
    for (const table of ['customers', 'outbox', 'processed_events', 'idempotency_keys']) await this.db(table).delete();
    this.emulator.account.reset();
    this.commands.clear();
    this.results.clear();
    this.undelivered = [];
    this.delivered.length = 0;
    this.seenEvents.clear();
  }

  /** The relay: every committed outbox entry onto its customer's command queue, in id order. */
  async relay(): Promise<void> {
    const rows = await this.db('outbox').whereNull('published_at').orderBy('id');
    for (const row of rows) {
      const command = parseEnvelope(CustomerRequested, JSON.stringify(row.message));
      this.queue(this.commands, command.payload.customerId).push(command);
    }
    if (rows.length)
      await this.db('outbox')
        .whereIn(
          'id',
          rows.map((r) => r.id),
        )
        .update({ published_at: this.db.fn.now() });
  }

  /** The worker takes the next command of a customer; returns it with its outcome. */
  async work(customerId: string) {
    const command = this.commands.get(customerId)?.shift();
    if (!command) return undefined;
    const outcome = await syncCustomer({ stripe: this.stripe, call: this.call }, command);
    const { customerId: id, action, version } = command.payload;
    this.queue(this.results, id).push(
      makeEnvelope(
        'customer.sync-result',
        { customerId: id, requestId: command.id, action, version, ...outcome },
        { correlationId: 'model' },
      ),
    );
    this.collectEvents();
    return { command, outcome };
  }

  /** db-writer takes the next sync result of a customer (a refetch it triggers reads Stripe now). */
  async applyResult(customerId: string): Promise<boolean> {
    const result = this.results.get(customerId)?.shift();
    if (!result) return false;
    await handleSyncResult(this.writer, result);
    return true;
  }

  /** Delivers events as one Kafka batch to db-writer; those not delivered before leave the buffer. */
  async deliver(events: StripeEvent[]): Promise<void> {
    if (events.length === 0) return;
    const ids = new Set(events.map((e) => e.id));
    this.undelivered = this.undelivered.filter((e) => !ids.has(e.id));
    this.delivered.push(...events);
    await applyStripeEvents(this.writer, events);
  }

  /** Picks up what the emulator emitted since the last call. */
  collectEvents(): void {
    const all = this.emulator.account.listEvents({ limit: 100 }).data as unknown[];
    for (const raw of [...all].reverse()) {
      const event = StripeEvent.parse(raw);
      if (this.seenEvents.has(event.id)) continue;
      this.seenEvents.add(event.id);
      this.undelivered.push(event);
    }
  }

  pendingWork(): boolean {
    return (
      [...this.commands.values(), ...this.results.values()].some((q) => q.length > 0) || this.undelivered.length > 0
    );
  }

  private queue<T>(map: Map<string, T[]>, key: string): T[] {
    if (!map.has(key)) map.set(key, []);
    return map.get(key)!;
  }
}
