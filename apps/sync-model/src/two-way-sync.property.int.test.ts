import fc from 'fast-check';
import { LINK_METADATA_KEY } from '@customer-sync/contracts';
import { startTestEmulator, emulatorStripe, type RunningEmulator } from '@customer-sync/stripe-emulator-core';
import { createTestDatabase, type TestDatabase } from '@customer-sync/testing';
import { InProcessSync } from './in-process-sync';

/**
 * Issue 9's model-based property: random API writes and Stripe-side writes on a few customers,
 * commands, results and webhooks moved at random (held back, duplicated, reordered, batched), then
 * settled. Afterwards every row equals its Stripe customer field by field, every field holds the
 * value of the last write to it in Stripe's order, and no Stripe customer is linked to two rows.
 * Real PostgreSQL and the emulator through the SDK; the services' domain functions in-process.
 */
const RUNS = 200;
const CUSTOMERS = 2;
const FIELDS = ['name', 'phone', 'description', 'city', 'locale'] as const;
const KEYS = ['a', 'b', 'c'] as const;
type Field = (typeof FIELDS)[number];

/** Profile fields the model writes through one part: `city` is address.city, `locale` the one preferred locale. */
function apiPatchOf(field: Field, value: string): Record<string, unknown> {
  if (field === 'city') return { address: { city: value } };
  if (field === 'locale') return { preferredLocales: [value] };
  return { [field]: value };
}
function stripeParamsOf(field: Field, value: string): Record<string, unknown> {
  if (field === 'city') return { address: { city: value } };
  if (field === 'locale') return { preferred_locales: [value] };
  return { [field]: value };
}

const write = fc.record({
  c: fc.nat(CUSTOMERS - 1),
  fields: fc.subarray([...FIELDS], { minLength: 0 }),
  setKey: fc.option(fc.constantFrom(...KEYS), { nil: undefined }),
  dropKey: fc.option(fc.constantFrom(...KEYS), { nil: undefined }),
});
const step = fc.oneof(
  { weight: 3, arbitrary: write.map((w) => ({ k: 'api' as const, ...w })) },
  { weight: 4, arbitrary: write.map((w) => ({ k: 'stripe' as const, ...w })) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('stripeDelete' as const), c: fc.nat(CUSTOMERS - 1) }) },
  { weight: 2, arbitrary: fc.constant({ k: 'relay' as const }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('work' as const), c: fc.nat(CUSTOMERS - 1) }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('result' as const), c: fc.nat(CUSTOMERS - 1) }) },
  {
    weight: 4,
    arbitrary: fc.record({
      k: fc.constant('deliver' as const),
      pick: fc.array(fc.nat(8), { maxLength: 4 }),
      again: fc.boolean(),
    }),
  },
  { weight: 3, arbitrary: fc.constant({ k: 'tick' as const }) },
);
type Step = typeof step extends fc.Arbitrary<infer S> ? S : never;

/** Per customer and field (`name`, `metadata.a`…): the value of the last write Stripe applied (null: cleared/removed). */
type WriteLog = Map<string, string | null>;

let database: TestDatabase;
let emulator: RunningEmulator;
let sync: InProcessSync;

beforeAll(async () => {
  database = await createTestDatabase();
  emulator = await startTestEmulator();
  sync = new InProcessSync(database.db, emulatorStripe(emulator), emulator);
});
afterAll(async () => {
  await emulator.stop();
  await database.drop();
});

class Run {
  ids: string[] = [];
  /** customer → API write version → the intended changes (logged when the worker applies that write). */
  intents = new Map<string, Map<number, Map<string, string | null>>>();
  log = new Map<string, WriteLog>();
  deletedInStripe = new Set<string>();
  private n = 0;

  unique = (field: string) =>
    field === 'phone' ? `+1555${String(++this.n).padStart(6, '0')}` : `${field}-${++this.n}`;

  logWrite(customerId: string, changes: Map<string, string | null>) {
    const log = this.log.get(customerId) ?? new Map();
    for (const [key, value] of changes) log.set(key, value);
    this.log.set(customerId, log);
  }

  async create(i: number) {
    const metadata = { a: this.unique('a') };
    const res = await sync.service.create(
      { name: `Customer ${i}`, email: `c${i}@example.com`, metadata },
      { apiKey: 'model', correlationId: 'm' },
    );
    const id = (res.body as { id: string }).id;
    this.ids.push(id);
    this.intents.set(
      id,
      new Map([
        [
          1,
          new Map<string, string | null>([
            ['name', `Customer ${i}`],
            ['email', `c${i}@example.com`],
            ['metadata.a', metadata.a],
          ]),
        ],
      ]),
    );
  }

  stripeIdOf(customerId: string): string | undefined {
    return emulator.account.listCustomers({ limit: 100 }).data.find((c) => c.metadata[LINK_METADATA_KEY] === customerId)
      ?.id;
  }

  async apply(s: Step) {
    switch (s.k) {
      case 'api':
        return this.apiWrite(s);
      case 'stripe':
        return this.stripeWrite(s);
      case 'stripeDelete': {
        const stripeId = this.stripeIdOf(this.ids[s.c]!);
        if (!stripeId) return;
        await sync.stripe.customers.del(stripeId);
        this.deletedInStripe.add(this.ids[s.c]!);
        return sync.collectEvents();
      }
      case 'relay':
        return sync.relay();
      case 'work': {
        const done = await sync.work(this.ids[s.c]!);
        if (done && done.outcome.outcome === 'synced' && done.command.payload.action !== 'delete') {
          this.logWrite(
            done.command.payload.customerId,
            this.intents.get(done.command.payload.customerId)!.get(done.command.payload.version)!,
          );
        }
        return;
      }
      case 'result':
        return void (await sync.applyResult(this.ids[s.c]!));
      case 'deliver': {
        const pool = sync.undelivered;
        const picked = [...new Set(s.pick.filter((i) => i < pool.length).map((i) => pool[i]!))];
        const again =
          s.again && sync.delivered.length ? [sync.delivered[(s.pick[0] ?? 0) % sync.delivered.length]!] : [];
        return sync.deliver([...picked, ...again]);
      }
      case 'tick':
        return emulator.account.advanceClock(1);
    }
  }

  private async apiWrite(s: Extract<Step, { k: 'api' }>) {
    const id = this.ids[s.c]!;
    const row = await database.db('customers').where({ id }).first();
    if (row.deleted_at) return;
    const patch: Record<string, unknown> = {};
    const intent = new Map<string, string | null>();
    for (const f of s.fields) {
      const value = this.unique(f);
      intent.set(f, value);
      Object.assign(patch, apiPatchOf(f, value));
    }
    if (s.setKey || s.dropKey) {
      const metadata: Record<string, string> = { ...row.metadata };
      if (s.dropKey && s.dropKey in metadata) {
        delete metadata[s.dropKey];
        intent.set(`metadata.${s.dropKey}`, null);
      }
      if (s.setKey) intent.set(`metadata.${s.setKey}`, (metadata[s.setKey] = this.unique(s.setKey)));
      patch.metadata = metadata;
    }
    if (intent.size === 0) return;
    const res = await sync.service.update(id, patch, { apiKey: 'model', correlationId: 'm' });
    this.intents
      .get(id)!
      .set(
        (res.body as { version?: number }).version ?? (await database.db('customers').where({ id }).first()).version,
        intent,
      );
  }

  private async stripeWrite(s: Extract<Step, { k: 'stripe' }>) {
    const id = this.ids[s.c]!;
    const stripeId = this.stripeIdOf(id);
    if (!stripeId) return;
    const params: Record<string, unknown> = {};
    const metadata: Record<string, string> = {};
    const written = new Map<string, string | null>();
    for (const f of s.fields) {
      const value = this.unique(f);
      written.set(f, value);
      Object.assign(params, stripeParamsOf(f, value));
    }
    if (s.dropKey) {
      metadata[s.dropKey] = '';
      written.set(`metadata.${s.dropKey}`, null);
    }
    if (s.setKey) written.set(`metadata.${s.setKey}`, (metadata[s.setKey] = this.unique(s.setKey)));
    if (Object.keys(metadata).length) params.metadata = metadata;
    if (written.size === 0) return;
    await sync.stripe.customers.update(stripeId, params);
    this.logWrite(id, written);
    sync.collectEvents();
  }

  /** Moves everything still queued, delivering the held-back events in a shuffled order, until nothing moves. */
  async settle(shuffle: (n: number) => number) {
    for (let round = 0; round < 20; round++) {
      await sync.relay();
      for (const id of this.ids)
        while (
          await this.apply({ k: 'work', c: this.ids.indexOf(id) }).then(() => (sync.commands.get(id)?.length ?? 0) > 0)
        );
      for (const id of this.ids) while (await sync.applyResult(id));
      const events = [...sync.undelivered];
      for (let i = events.length - 1; i > 0; i--) {
        const j = shuffle(i + 1);
        [events[i], events[j]] = [events[j]!, events[i]!];
      }
      while (events.length) await sync.deliver(events.splice(0, 1 + shuffle(3)));
      if (
        !sync.pendingWork() &&
        Number((await database.db('outbox').whereNull('published_at').count('* as n').first())!.n) === 0
      )
        return;
    }
    throw new Error('the system did not settle');
  }

  async check() {
    const rows = await database.db('customers').orderBy('id');
    expect(rows.filter((r) => r.origin === 'stripe')).toEqual([]);
    const linked = rows.map((r) => r.stripe_customer_id).filter(Boolean);
    expect(new Set(linked).size).toBe(linked.length);
    for (const id of this.ids) {
      const row = rows.find((r) => r.id === id)!;
      const live = emulator.account
        .listCustomers({ limit: 100 })
        .data.filter((c) => c.metadata[LINK_METADATA_KEY] === id);
      expect(live.length).toBeLessThanOrEqual(1);
      expect(row.sync_status).toBe('synced');
      if (this.deletedInStripe.has(id)) {
        expect(live).toEqual([]);
        expect(row.deleted_at).not.toBeNull();
        continue;
      }
      const customer = live[0]!;
      expect(row.stripe_customer_id).toBe(customer.id);
      const { [LINK_METADATA_KEY]: _link, ...stripeMetadata } = customer.metadata;
      const { name, email, phone, description, address, preferred_locales } = customer;
      const inStripe = { name, email, phone, description, address, preferred_locales, metadata: stripeMetadata };
      const { address: rowAddress, preferred_locales: rowLocales } = row;
      expect({
        name: row.name,
        email: row.email,
        phone: row.phone,
        description: row.description,
        address: rowAddress,
        preferred_locales: rowLocales,
        metadata: row.metadata,
      }).toEqual(inStripe);
      const values: Record<string, string | null> = {
        name,
        email,
        phone,
        description,
        city: address?.city ?? null,
        locale: preferred_locales[0] ?? null,
      };
      for (const [key, value] of this.log.get(id) ?? []) {
        const actual = key.startsWith('metadata.') ? (stripeMetadata[key.slice(9)] ?? null) : values[key];
        expect({ key, value: actual }).toEqual({ key, value });
      }
    }
  }
}

describe('two-way sync, model-based (fast-check)', () => {
  it(`after any interleaving, settles to rows equal to Stripe, last write per field winning, one row per Stripe customer (${RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 8, maxLength: 30 }),
        fc.infiniteStream(fc.nat()),
        async (steps, randomness) => {
          await sync.reset();
          const run = new Run();
          for (let i = 0; i < CUSTOMERS; i++) await run.create(i);
          // The creates reach Stripe first (their results and webhooks stay queued), so Stripe-side writes have a target.
          await run.apply({ k: 'relay' });
          for (let c = 0; c < CUSTOMERS; c++) await run.apply({ k: 'work', c });
          for (const s of steps) await run.apply(s);
          const numbers = randomness[Symbol.iterator]();
          await run.settle((n) => (numbers.next().value as number) % n);
          await run.check();
        },
      ),
      { numRuns: RUNS, verbose: 1 },
    );
  }, 600_000);
});
