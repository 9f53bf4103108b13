import { StripeSyncWorkerEnv } from '@customer-sync/config';
import {
  CustomerSyncResult,
  makeEnvelope,
  parseEnvelope,
  type CustomerRequestedPayload,
} from '@customer-sync/contracts';
import {
  createIdempotentProducer,
  createKafkaClient,
  ensureTopics,
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
  TEST_KAFKA_SECURITY,
  uniqueSuffix,
} from '@customer-sync/testing';
import { start, type StripeSyncWorker } from '../src/service';
import { startStripeRecorder, type StripeRecorder } from './stripe-recorder';

type Keyed = { payload: { customerId: string } };
type Collected = Awaited<ReturnType<typeof collectTopic>>;

/**
 * What a worker test file shares, set up once for the file (beforeAll): its own topic suffix, the
 * emulator (reset before each test), optionally a recorder in front of it, and a connected producer
 * of commands. `stopFirst` stops what the file started (its worker) before the rest is torn down.
 */
export function useWorkerTestBed(options: {
  clientId: string;
  recorder?: boolean;
  /** Creates customer.requested and customer.sync-results (3 partitions) before any worker does. */
  precreateTopics?: boolean;
  stopFirst?: () => Promise<unknown> | undefined;
}) {
  const suffix = uniqueSuffix();
  const topics = resolveTopics(suffix);
  const bed = {
    suffix,
    topics,
    emulator: undefined as unknown as RunningEmulator,
    recorder: undefined as unknown as StripeRecorder,
    producer: undefined as unknown as SafeProducer,
    /** Where the worker calls Stripe: the recorder if there is one, else the emulator. */
    stripeUrl: () => (options.recorder ? bed.recorder.url : bed.emulator.url),
    stripe: () => emulatorStripe(bed.emulator),
    /** Publishes commands to customer.requested, keyed by customer, in one request. */
    send: (...commands: Keyed[]) => publishCommands(bed.producer, topics.customerRequested, commands),
  };
  beforeAll(async () => {
    bed.emulator = await startTestEmulator();
    if (options.recorder) bed.recorder = await startStripeRecorder(bed.emulator.url);
    const client = createKafkaClient({
      brokers: TEST_KAFKA_BROKERS,
      clientId: options.clientId,
      logger: testLogger(),
      security: TEST_KAFKA_SECURITY,
    });
    if (options.precreateTopics)
      await ensureTopics(client, [topics.customerRequested, topics.customerSyncResults], {
        partitions: 3,
        replicationFactor: 1,
      });
    bed.producer = createIdempotentProducer(client);
    await bed.producer.connect();
  });
  afterAll(async () => {
    await options.stopFirst?.();
    await bed.producer.disconnect();
    if (options.recorder) await bed.recorder.stop();
    await bed.emulator.stop();
  });
  beforeEach(() => emulatorControl(bed.emulator, 'reset'));
  return bed;
}

/**
 * A test bed with one in-process worker for the whole file, configured by `env` on top of its
 * topic suffix and Stripe URL, and the sync results it publishes collected from the start.
 */
export function useRunningWorker(options: { clientId: string; recorder?: boolean; env?: Record<string, string> }) {
  const bed = useWorkerTestBed({
    ...options,
    stopFirst: async () => {
      await handle.results.stop();
      await handle.worker.stop();
    },
  });
  const handle = Object.assign(bed, {
    worker: undefined as unknown as StripeSyncWorker,
    results: undefined as unknown as Collected,
    /** The payloads of every sync result published so far. */
    outcomes: () => syncResultsOf(handle.results.messages),
  });
  beforeAll(async () => {
    handle.worker = await startInProcessWorker(bed, options.env);
    handle.results = await collectTopic(testKafka(), bed.topics.customerSyncResults);
  });
  return handle;
}

/** Starts a worker in this process on the bed's topics and Stripe, and waits until it consumes. */
export async function startInProcessWorker(
  bed: { suffix: string; stripeUrl(): string },
  env: Record<string, string> = {},
): Promise<StripeSyncWorker> {
  const worker = await start(
    serviceConfig(StripeSyncWorkerEnv, { KAFKA_TOPIC_SUFFIX: bed.suffix, STRIPE_API_URL: bed.stripeUrl(), ...env }),
    testLogger('stripe-sync-worker'),
  );
  await worker.kafkaStarted;
  return worker;
}

/** Publishes commands to `topic` in one request, each keyed by its customer. */
export const publishCommands = (producer: SafeProducer, topic: string, commands: Keyed[]) =>
  publish(
    producer,
    topic,
    commands.map((c) => ({ key: c.payload.customerId, value: JSON.stringify(c) })),
  );

/** The payloads of sync-result messages. */
export const syncResultsOf = (messages: { value: Buffer | null }[]) =>
  messages.map((m) => parseEnvelope(CustomerSyncResult, m.value).payload);

/** A command with a name and email: a create at version 1, an update after. */
export function requestedCommand(
  customerId: string,
  options: { correlationId: string; version?: number; name?: string; email?: string },
) {
  const version = options.version ?? 1;
  const payload = {
    action: version === 1 ? 'create' : 'update',
    customerId,
    version,
    stripeCustomerId: null,
    changes: {
      fields: {
        name: options.name ?? 'Jenny Rosen',
        email: options.email ?? 'jenny@example.com',
        phone: null,
        description: null,
      },
      metadata: { set: {}, unset: [] },
    },
  } satisfies CustomerRequestedPayload;
  return makeEnvelope('customer.requested', payload, { correlationId: options.correlationId });
}
