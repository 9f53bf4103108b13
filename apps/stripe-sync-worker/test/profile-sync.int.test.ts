import { StripeSyncWorkerEnv } from '@customer-sync/config';
import {
  CustomerSyncResult,
  makeEnvelope,
  parseEnvelope,
  type CustomerRequestedPayload,
  type ProfileValues,
} from '@customer-sync/contracts';
import {
  createIdempotentProducer,
  createKafkaClient,
  publish,
  resolveTopics,
  type SafeProducer,
} from '@customer-sync/kafka';
import {
  type RunningEmulator,
  emulatorControl,
  emulatorStripe,
  startTestEmulator,
} from '@customer-sync/stripe-emulator-core';
import {
  collectTopic,
  serviceConfig,
  testKafka,
  testLogger,
  TEST_KAFKA_BROKERS,
  uniqueSuffix,
  waitFor,
} from '@customer-sync/testing';
import { start, type StripeSyncWorker } from '../src/service';

const suffix = uniqueSuffix();
const topics = resolveTopics(suffix);

let emulator: RunningEmulator;
let worker: StripeSyncWorker;
let producer: SafeProducer;
let results: Awaited<ReturnType<typeof collectTopic>>;

beforeAll(async () => {
  emulator = await startTestEmulator();
  worker = await start(
    serviceConfig(StripeSyncWorkerEnv, { KAFKA_TOPIC_SUFFIX: suffix, STRIPE_API_URL: emulator.url }),
    testLogger('stripe-sync-worker'),
  );
  producer = createIdempotentProducer(
    createKafkaClient({ brokers: TEST_KAFKA_BROKERS, clientId: 'profile-worker-test', logger: testLogger() }),
  );
  await producer.connect();
  results = await collectTopic(testKafka(), topics.customerSyncResults);
});
afterAll(async () => {
  await results.stop();
  await producer.disconnect();
  await worker.stop();
  await emulator.stop();
});
beforeEach(() => emulatorControl(emulator, 'reset'));

const stripe = () => emulatorStripe(emulator);
const paris = {
  city: 'Paris',
  country: 'FR',
  line1: '1 Rue de Rivoli',
  line2: null,
  postal_code: '75001',
  state: null,
};
/** The same address as an SDK parameter (no nulls). */
const parisParam = { city: 'Paris', country: 'FR', line1: '1 Rue de Rivoli', postal_code: '75001' };

/** A command writing `profile` (plus a name and email on create) to the customer's Stripe customer. */
function profileCommand(
  customerId: string,
  profile: Partial<ProfileValues>,
  target?: { stripeCustomerId: string; version: number },
) {
  const payload = {
    action: target ? 'update' : 'create',
    customerId,
    version: target?.version ?? 1,
    stripeCustomerId: target?.stripeCustomerId ?? null,
    changes: {
      fields: { ...(!target && { name: 'Jenny Rosen', email: 'jenny@example.com' }), ...profile },
      metadata: { set: {}, unset: [] },
    },
  } satisfies CustomerRequestedPayload;
  return makeEnvelope('customer.requested', payload, { correlationId: 'profile-test' });
}

async function run(command: ReturnType<typeof profileCommand>) {
  await publish(producer, topics.customerRequested, [
    { key: command.payload.customerId, value: JSON.stringify(command) },
  ]);
  return waitFor(
    () =>
      results.messages
        .map((m) => parseEnvelope(CustomerSyncResult, m.value))
        .find((r) => r.payload.requestId === command.id)?.payload,
    { what: `result of ${command.id}`, timeoutMs: 30_000 },
  );
}

describe('the customer profile, customer.requested → Stripe', () => {
  it('creates the Stripe customer with address, shipping, preferred locales and tax exemption', async () => {
    const result = await run(
      profileCommand(crypto.randomUUID(), {
        address: paris,
        shipping: { name: 'Jenny Rosen', phone: '+33123456789', address: paris },
        preferred_locales: ['fr-FR', 'en'],
        tax_exempt: 'exempt',
      }),
    );
    expect(result.outcome).toBe('synced');
    expect(await stripe().customers.retrieve(result.stripeCustomerId!)).toMatchObject({
      address: paris,
      shipping: { name: 'Jenny Rosen', phone: '+33123456789', address: paris },
      preferred_locales: ['fr-FR', 'en'],
      tax_exempt: 'exempt',
    });
  });

  it('writes a whole address over Stripe’s, clearing parts the command holds as null', async () => {
    const real = await stripe().customers.create({ address: { ...parisParam, line2: 'Apt 4', state: 'IDF' } });
    const result = await run(
      profileCommand(
        crypto.randomUUID(),
        { address: { ...paris, city: 'Lyon' } },
        { stripeCustomerId: real.id, version: 2 },
      ),
    );
    expect(result.outcome).toBe('synced');
    expect(((await stripe().customers.retrieve(real.id)) as { address: unknown }).address).toEqual({
      ...paris,
      city: 'Lyon',
    });
  });

  it('removes address and shipping, empties the locales and resets the tax exemption', async () => {
    const real = await stripe().customers.create({
      address: parisParam,
      shipping: { name: 'J', address: parisParam },
      preferred_locales: ['fr'],
      tax_exempt: 'reverse',
    });
    const result = await run(
      profileCommand(
        crypto.randomUUID(),
        { address: null, shipping: null, preferred_locales: [], tax_exempt: 'none' },
        { stripeCustomerId: real.id, version: 2 },
      ),
    );
    expect(result.outcome).toBe('synced');
    expect(await stripe().customers.retrieve(real.id)).toMatchObject({
      address: null,
      shipping: null,
      preferred_locales: [],
      tax_exempt: 'none',
    });
  });

  it('leaves Stripe’s profile alone when the command does not carry it', async () => {
    const real = await stripe().customers.create({ address: parisParam, preferred_locales: ['de'] });
    const result = await run(profileCommand(crypto.randomUUID(), {}, { stripeCustomerId: real.id, version: 2 }));
    expect(result.outcome).toBe('synced');
    expect(await stripe().customers.retrieve(real.id)).toMatchObject({ address: paris, preferred_locales: ['de'] });
  });
});
