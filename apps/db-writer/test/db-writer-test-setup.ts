import { DbWriterEnv } from '@customer-sync/config';
import { makeEnvelope, type StripeEvent } from '@customer-sync/contracts';
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
  createTestDatabase,
  serviceConfig,
  testLogger,
  TEST_KAFKA_BROKERS,
  uniqueSuffix,
  waitFor,
  type TestDatabase,
} from '@customer-sync/testing';
import { start, type DbWriter } from '../src/service';

/**
 * One db-writer for the test file (beforeAll, stopped in afterAll): its own database and topic
 * suffix, the emulator as its Stripe, and a connected producer. `env` adds to the writer's
 * configuration; `resetEmulator` empties the emulator before each test.
 */
export function useRunningDbWriter(options: {
  clientId: string;
  env?: Record<string, string>;
  resetEmulator?: boolean;
}) {
  const suffix = uniqueSuffix();
  const topics = resolveTopics(suffix);
  const state = {} as { database: TestDatabase; emulator: RunningEmulator; writer: DbWriter; producer: SafeProducer };
  beforeAll(async () => {
    state.database = await createTestDatabase();
    state.emulator = await startTestEmulator();
    state.writer = await start(
      serviceConfig(DbWriterEnv, {
        DATABASE_URL: state.database.url,
        KAFKA_TOPIC_SUFFIX: suffix,
        STRIPE_API_URL: state.emulator.url,
        ...options.env,
      }),
      testLogger('db-writer'),
    );
    await state.writer.kafkaStarted;
    state.producer = createIdempotentProducer(
      createKafkaClient({ brokers: TEST_KAFKA_BROKERS, clientId: options.clientId, logger: testLogger() }),
    );
    await state.producer.connect();
  });
  afterAll(async () => {
    await state.producer.disconnect();
    await state.writer.stop();
    await state.emulator.stop();
    await state.database.drop();
  });
  if (options.resetEmulator) beforeEach(() => emulatorControl(state.emulator, 'reset'));

  /** The file's database; reads through to it once beforeAll has run. */
  const database: TestDatabase = {
    get url() {
      return state.database.url;
    },
    get db() {
      return state.database.db;
    },
    drop: () => state.database.drop(),
  };
  return {
    suffix,
    topics,
    database,
    get emulator() {
      return state.emulator;
    },
    get writer() {
      return state.writer;
    },
    get producer() {
      return state.producer;
    },
    stripe: () => emulatorStripe(state.emulator),
    /** Publishes events to stripe.events as webhook-ingress does and waits until db-writer recorded them. */
    async deliver(...events: Array<Pick<StripeEvent, 'id'> & { data: { object: { id?: unknown } } }>) {
      await publish(
        state.producer,
        topics.stripeEvents,
        events.map((event) => ({
          key: String(event.data.object.id),
          value: JSON.stringify(makeEnvelope('stripe.event-received', { event }, { correlationId: event.id })),
        })),
      );
      const ids = events.map((e) => e.id);
      await waitFor(
        async () => (await database.db('processed_events').whereIn('event_id', ids)).length === new Set(ids).size,
        { what: 'events processed' },
      );
    },
    /** The row linked to a Stripe customer. */
    rowOf: (stripeId: string) => database.db('customers').where({ stripe_customer_id: stripeId }).first(),
  };
}
