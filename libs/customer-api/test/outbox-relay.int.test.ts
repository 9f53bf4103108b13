import { Registry } from 'prom-client';
import {
  createKafkaClient,
  createIdempotentProducer,
  ensureTopics,
  fixedTopicLimits,
  resolveTopics,
  type SafeProducer,
} from '@customer-sync/kafka';
import {
  createTestDatabase,
  readTopic,
  testKafka,
  testLogger,
  TEST_KAFKA_BROKERS,
  uniqueSuffix,
  waitFor,
  type TestDatabase,
} from '@customer-sync/testing';
import { createCustomerService, OutboxRelay } from '../src';

const logger = testLogger('outbox-relay');
const topics = resolveTopics(uniqueSuffix());
const kafka = createKafkaClient({ brokers: TEST_KAFKA_BROKERS, clientId: 'outbox-relay-test', logger });
const ctx = { apiKey: 'test-api-key-0123456789abcdef', correlationId: 'corr-1' };

let database: TestDatabase;
let producer: SafeProducer;

beforeAll(async () => {
  database = await createTestDatabase();
  await ensureTopics(kafka, [topics.customerRequested], { partitions: 3, replicationFactor: 1 });
  // A topic limit of 4 KB stands for any command that has outgrown its topic.
  producer = createIdempotentProducer(kafka, { limits: fixedTopicLimits({ [topics.customerRequested]: 4096 }) });
  await producer.connect();
});
afterAll(async () => {
  await producer.disconnect();
  await database.drop();
});

describe('OutboxRelay', () => {
  it('when an entry can never fit its topic, marks its customer failed and publishes the entries after it', async () => {
    const service = createCustomerService({ db: database.db, requestedTopic: topics.customerRequested });
    const idOf = (result: { body: unknown }) => (result.body as { id: string }).id;
    const big = await service.create(
      { name: 'Big', email: 'big@example.com', metadata: { notes: 'n'.repeat(5000) } },
      ctx,
    );
    const small = await service.create({ name: 'Small', email: 'small@example.com' }, ctx);
    const relay = new OutboxRelay({
      db: database.db,
      databaseUrl: database.url,
      producer,
      logger,
      registry: new Registry(),
      batchSize: 10,
      pollMs: 1000,
    });

    expect(await relay.publishBatch()).toBe(2);

    const rows = await database.db('customers').select('id', 'sync_status', 'sync_error');
    const byId = new Map(rows.map((r: { id: string }) => [r.id, r]));
    expect(byId.get(idOf(big))).toMatchObject({
      sync_status: 'failed',
      sync_error: expect.stringMatching(/too large/),
    });
    expect(byId.get(idOf(small))).toMatchObject({ sync_status: 'pending' });
    expect(Number((await database.db('outbox').whereNull('published_at').count('* as n').first())!.n)).toBe(0);
    const published = await readTopic(testKafka(), topics.customerRequested);
    expect(published.map((m) => m.key?.toString())).toEqual([idOf(small)]);
  });

  it('when a commit wakes it while it is publishing, publishes that entry at once rather than at the next poll', async () => {
    const service = createCustomerService({ db: database.db, requestedTopic: topics.customerRequested });
    const relay = new OutboxRelay({
      db: database.db,
      databaseUrl: database.url,
      producer,
      logger,
      registry: new Registry(),
      batchSize: 10,
      pollMs: 60_000,
    });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const send = producer.send.bind(producer);
    const spy = jest.spyOn(producer, 'send').mockImplementationOnce(async (topic, messages) => {
      await held;
      return send(topic, messages);
    });
    await relay.start();
    try {
      await service.create({ name: 'First', email: 'first@example.com' }, ctx);
      relay.wake();
      await waitFor(() => spy.mock.calls.length === 1, { what: 'the first publish started' });

      await service.create({ name: 'Second', email: 'second@example.com' }, ctx);
      relay.wake();
      release();

      await waitFor(
        async () => Number((await database.db('outbox').whereNull('published_at').count('* as n').first())!.n) === 0,
        {
          what: 'both entries published',
          timeoutMs: 5_000,
        },
      );
    } finally {
      spy.mockRestore();
      await relay.stop();
    }
  });
});
