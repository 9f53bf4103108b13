import { makeEnvelope } from '@customer-sync/contracts';
import { createIdempotentProducer, createKafkaClient, publish, resolveTopics } from '@customer-sync/kafka';
import {
  collectTopic,
  customerEvent,
  testKafka,
  testLogger,
  TEST_KAFKA_BROKERS,
  waitFor,
} from '@customer-sync/testing';
import { emulatorControl } from '@customer-sync/stripe-emulator-core';
import { useSystem } from './use-system';

const ctx = useSystem();

const rowOf = (id: string) => ctx.system.database.db('customers').where({ id }).first();

describe('crash windows', () => {
  it('worker killed after Stripe acted but before it committed: still exactly one Stripe customer', async () => {
    // Stripe creates the customer, then holds the answer; the worker dies waiting for it.
    await emulatorControl(ctx.system.emulator, 'faults', { responseDelayMs: 5000 });
    const created = await ctx.api.create({ name: 'Crash Window', email: 'crash@example.com' });
    await waitFor(
      () =>
        ctx.system.emulator.account
          .listCustomers({ limit: 100 })
          .data.some((c) => c.metadata.customer_sync_id === created.body.id),
      {
        what: 'Stripe created the customer',
      },
    );
    await ctx.system.worker.kill();
    await emulatorControl(ctx.system.emulator, 'faults', { responseDelayMs: 0 });

    await ctx.system.restart('worker');
    const row = await waitFor(
      async () => ((await rowOf(created.body.id))?.sync_status === 'synced' ? rowOf(created.body.id) : undefined),
      { what: 'synced after restart', timeoutMs: 60_000 },
    );
    const inStripe = await ctx.system.stripeCustomersOf(created.body.id);
    expect(inStripe).toHaveLength(1);
    expect(row.stripe_customer_id).toBe(inStripe[0]!.id);
  });

  it('relay published but could not mark the row sent: the duplicates are harmless', async () => {
    // A trigger makes marking fail after the publish, exactly like a crash between the two steps.
    await ctx.system.database.db.raw(`
      create function refuse_mark() returns trigger language plpgsql as $$ begin raise exception 'simulated crash before mark'; end $$;
      create trigger refuse_mark before update on outbox for each row execute function refuse_mark();`);
    const created = await ctx.api.create({ name: 'Twice Published', email: 'twice@example.com' });
    await new Promise((r) => setTimeout(r, 1500));
    await ctx.system.database.db.raw('drop trigger refuse_mark on outbox; drop function refuse_mark();');

    await waitFor(async () => (await rowOf(created.body.id))?.sync_status === 'synced', {
      what: 'synced',
      timeoutMs: 30_000,
    });
    await waitFor(
      async () =>
        Number((await ctx.system.database.db('outbox').whereNull('published_at').count('* as n').first())!.n) === 0,
      { what: 'outbox drained' },
    );
    expect(await ctx.system.stripeCustomersOf(created.body.id)).toHaveLength(1);
  });

  it('db-writer killed mid-batch: on restart every event is applied exactly once', async () => {
    const topics = resolveTopics(ctx.system.suffix);
    const producer = createIdempotentProducer(
      createKafkaClient({ brokers: TEST_KAFKA_BROKERS, clientId: 'e2e-crash', logger: testLogger() }),
    );
    await producer.connect();
    const db = ctx.system.database.db;
    const customers = Array.from(
      { length: 40 },
      (_, i) => `cus_crash${String(i).padStart(4, '0')}${ctx.system.suffix.slice(-5)}`,
    );
    const eventsOf = (versions: number[]) =>
      customers.flatMap((id) =>
        versions.map((n) =>
          customerEvent(n === 0 ? 'customer.created' : 'customer.updated', { id, name: `v${n}` }, 10_000 + n),
        ),
      );
    const send = (events: ReturnType<typeof eventsOf>) =>
      publish(
        producer,
        topics.stripeEvents,
        events.map((event) => ({
          key: String(event.data.object.id),
          value: JSON.stringify(makeEnvelope('stripe.event-received', { event }, { correlationId: event.id })),
        })),
      );
    const processedCount = async (events: ReturnType<typeof eventsOf>) =>
      (
        await db('processed_events').whereIn(
          'event_id',
          events.map((e) => e.id),
        )
      ).length;
    const firstHalf = eventsOf([0, 1, 2, 3, 4]);
    const secondHalf = eventsOf([5, 6, 7, 8, 9]);
    const lock = await db.transaction();
    try {
      await send(firstHalf);
      await waitFor(async () => (await processedCount(firstHalf)) === firstHalf.length, { what: 'first half applied' });

      // Hold back the commit of the next batch: it changes rows, then waits to record its event ids.
      await lock.raw('lock table processed_events in exclusive mode');
      await send(secondHalf);
      await waitFor(
        async () =>
          (
            await db.raw(
              `select 1 from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
            )
          ).rows.length > 0,
        {
          what: 'a batch in flight',
        },
      );
      await ctx.system.writer.kill();
      await lock.rollback();
      expect(await processedCount(secondHalf)).toBe(0);

      await ctx.system.restart('writer');
      await waitFor(async () => (await processedCount(secondHalf)) === secondHalf.length, {
        what: 'second half applied after restart',
        timeoutMs: 60_000,
      });
      const recorded = await db('processed_events').whereIn(
        'event_id',
        [...firstHalf, ...secondHalf].map((e) => e.id),
      );
      expect(recorded).toHaveLength(firstHalf.length + secondHalf.length);
      const rows = await db('customers').whereIn('stripe_customer_id', customers);
      expect(rows).toHaveLength(customers.length);
      expect(new Set(rows.map((r) => r.name))).toEqual(new Set(['v9']));
    } finally {
      if (!lock.isCompleted()) await lock.rollback();
      await producer.disconnect();
    }
  });

  it('worker stopped with SIGTERM mid-call finishes the message, commits it and exits 0', async () => {
    await emulatorControl(ctx.system.emulator, 'faults', { responseDelayMs: 1500 });
    const created = await ctx.api.create({ name: 'Graceful', email: 'graceful@example.com' });
    await waitFor(
      () =>
        ctx.system.emulator.account
          .listCustomers({ limit: 100 })
          .data.some((c) => c.metadata.customer_sync_id === created.body.id),
      {
        what: 'Stripe call in flight',
      },
    );
    expect(await ctx.system.worker.stop()).toBe(0);
    await emulatorControl(ctx.system.emulator, 'faults', { responseDelayMs: 0 });
    // The result was published before the exit: the row is synced with no worker running.
    await waitFor(async () => (await rowOf(created.body.id))?.sync_status === 'synced', {
      what: 'synced by the stopping worker',
    });

    await ctx.system.restart('worker');
    const results = await collectTopic(testKafka(), resolveTopics(ctx.system.suffix).customerSyncResults);
    try {
      await waitFor(() => results.messages.some((m) => m.key?.toString() === created.body.id), {
        what: 'the result on Kafka',
      });
      await new Promise((r) => setTimeout(r, 3000));
      // Its offset was committed: the restarted worker did not process the command a second time.
      expect(results.messages.filter((m) => m.key?.toString() === created.body.id)).toHaveLength(1);
    } finally {
      await results.stop();
    }
    expect(await ctx.system.stripeCustomersOf(created.body.id)).toHaveLength(1);
  });

  it('a service stopped with SIGTERM exits cleanly', async () => {
    expect(await ctx.system.api.stop()).toBe(0);
    await ctx.system.restart('api');
    expect((await fetch(`${ctx.system.api.url}/ready`)).status).toBe(200);
  });
});
