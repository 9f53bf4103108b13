import { makeEnvelope } from '@customer-sync/contracts';
import {
  createIdempotentProducer,
  createKafkaClient,
  DlqHeaders,
  ensureTopics,
  groupName,
  publish,
  resolveTopics,
  type SafeProducer,
} from '@customer-sync/kafka';
import {
  collectTopic,
  createTestDatabase,
  testKafka,
  testLogger,
  TEST_KAFKA_BROKERS,
  TEST_KAFKA_SECURITY,
  TEST_KAFKA_SECURITY_ENV,
  uniqueSuffix,
  waitFor,
  type TestDatabase,
} from '@customer-sync/testing';
import { runCli } from './run-cli';

// Each test runs the CLI as a process several times (a few seconds each on a busy machine).
jest.setTimeout(180_000);

const suffix = uniqueSuffix();
const topics = resolveTopics(suffix);
const kafka = createKafkaClient({
  brokers: TEST_KAFKA_BROKERS,
  clientId: 'cli-test',
  logger: testLogger('cli-test'),
  security: TEST_KAFKA_SECURITY,
});
let database: TestDatabase;
let producer: SafeProducer;
let env: Record<string, string>;

const command = (customerId: string, email: string) =>
  JSON.stringify(
    makeEnvelope('customer.requested', { action: 'create', customerId, email }, { correlationId: `c-${customerId}` }),
  );

async function deadLetter(key: string, error: string, email: string) {
  await publish(producer, `${topics.customerRequested}.dlq`, [
    {
      key,
      value: command(key, email),
      headers: {
        [DlqHeaders.error]: error,
        [DlqHeaders.sourceTopic]: topics.customerRequested,
        [DlqHeaders.sourcePartition]: '0',
        [DlqHeaders.sourceOffset]: '7',
        [DlqHeaders.attempts]: '5',
        'x-origin': 'test',
      },
    },
  ]);
}

beforeAll(async () => {
  database = await createTestDatabase();
  env = {
    DATABASE_URL: database.url,
    KAFKA_BROKERS: TEST_KAFKA_BROKERS.join(','),
    ...TEST_KAFKA_SECURITY_ENV,
    KAFKA_TOPIC_SUFFIX: suffix,
  };
  // One partition each, so message ids are predictable.
  await ensureTopics(kafka, Object.values(topics), { partitions: 1, replicationFactor: 1 });
  producer = createIdempotentProducer(kafka);
  await producer.connect();
});
afterAll(async () => {
  await producer.disconnect();
  await database.drop();
});

describe('customer-sync status', () => {
  it('reports lag read from the broker, the outbox backlog and its age, customers by status and DLQ depth', async () => {
    await publish(
      producer,
      topics.customerRequested,
      [1, 2, 3].map((n) => ({ key: `k${n}`, value: `{"n":${n}}` })),
    );
    const admin = kafka.admin();
    await admin.connect();
    // The worker's group processed one of the three, then stopped: lag 2 although nothing consumes.
    await admin.setOffsets({
      groupId: groupName('stripe-sync-worker', suffix),
      topic: topics.customerRequested,
      partitions: [{ partition: 0, offset: '1' }],
    });
    await admin.disconnect();
    await database.db('outbox').insert({
      event_id: crypto.randomUUID(),
      topic: topics.customerRequested,
      message_key: 'k',
      message: '{}',
      created_at: new Date(Date.now() - 90_000),
    });
    await database.db('customers').insert([
      { id: crypto.randomUUID(), origin: 'api', sync_status: 'pending' },
      { id: crypto.randomUUID(), origin: 'api', sync_status: 'failed' },
      { id: crypto.randomUUID(), origin: 'stripe', sync_status: 'synced' },
    ]);
    await deadLetter('dead-1', 'PermanentError: no', 'dead@example.com');

    const result = await runCli(['status', '--json'], env);

    expect(result.code).toBe(0);
    const status = result.json<{
      consumers: { group: string; topic: string; lag: number }[];
      outbox: { unpublished: number; oldestAgeSeconds: number };
      customers: unknown;
      dlq: { topic: string; depth: number }[];
    }>();
    expect(status.consumers).toContainEqual(
      expect.objectContaining({ group: `stripe-sync-worker.${suffix}`, topic: topics.customerRequested, lag: 2 }),
    );
    expect(status.consumers.map((c) => c.group)).toContain(`db-writer.${suffix}`);
    expect(status.outbox.unpublished).toBe(1);
    expect(status.outbox.oldestAgeSeconds).toBeGreaterThanOrEqual(89);
    expect(status.customers).toEqual({ pending: 1, synced: 1, failed: 1 });
    expect(status.dlq).toContainEqual({ topic: topics.customerRequested, depth: 1 });

    const text = await runCli(['status'], env);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/consumer lag/);
  });
});

describe('customer-sync dlq', () => {
  beforeAll(async () => {
    await deadLetter('dead-2', 'StripeCallFailed: card declined', 'second@example.com');
    await deadLetter('dead-3', 'PermanentError: no', 'third@example.com');
  });

  it('lists waiting messages, filtered by key or error, without payloads or emails', async () => {
    const all = await runCli(['dlq', 'list', 'customer.requested', '--json'], env);
    expect(all.code).toBe(0);
    expect(all.json<{ entries: { id: string; key: string }[] }>().entries.map((e) => e.key)).toEqual([
      'dead-1',
      'dead-2',
      'dead-3',
    ]);
    expect(all.stdout).not.toMatch(/@example\.com/);

    const byError = await runCli(['dlq', 'list', 'customer.requested', '--error', 'DECLINED', '--json'], env);
    expect(byError.json<{ entries: { id: string }[] }>().entries).toEqual([
      expect.objectContaining({ id: '0:1', key: 'dead-2', attempts: 5 }),
    ]);
    const byKey = await runCli(['dlq', 'list', 'customer.requested', '--key', 'dead-3', '--json'], env);
    expect(byKey.json<{ total: number }>().total).toBe(1);
  });

  it('shows one message with its headers and a redacted payload', async () => {
    const shown = await runCli(['dlq', 'show', 'customer.requested', '0:0', '--json'], env);
    expect(shown.code).toBe(0);
    const entry = shown.json<{
      key: string;
      headers: Record<string, string>;
      value: { payload: { email: string; customerId: string } };
    }>();
    expect(entry).toMatchObject({
      key: 'dead-1',
      headers: { 'x-origin': 'test' },
      value: { payload: { customerId: 'dead-1', email: '[REDACTED]' } },
    });
    expect(shown.stdout).not.toMatch(/@example\.com/);
  });

  it('replays one message: a dry run changes nothing, then it goes back to its topic once', async () => {
    const dry = await runCli(['dlq', 'replay', 'customer.requested', '--id', '0:0', '--dry-run', '--json'], env);
    expect(dry.json()).toMatchObject({
      dryRun: true,
      replayed: 0,
      selected: [expect.objectContaining({ id: '0:0' })],
      skipped: 2,
    });

    const source = await collectTopic(testKafka(), topics.customerRequested);
    try {
      const replayed = await runCli(['dlq', 'replay', 'customer.requested', '--id', '0:0', '--json'], env);
      expect(replayed.code).toBe(0);
      expect(replayed.json()).toMatchObject({ replayed: 1, skipped: 2 });
      await waitFor(() => source.messages.some((m) => m.key?.toString() === 'dead-1'), { what: 'replayed message' });
      const back = source.messages.find((m) => m.key?.toString() === 'dead-1')!;
      expect(back.headers?.['x-origin']?.toString()).toBe('test');
      expect(back.headers?.[DlqHeaders.error]).toBeUndefined();
    } finally {
      await source.stop();
    }
    const left = await runCli(['dlq', 'list', 'customer.requested', '--json'], env);
    expect(left.json<{ entries: { key: string }[] }>().entries.map((e) => e.key)).toEqual(['dead-2', 'dead-3']);
  });

  it('purges what is selected and leaves the rest; status shows the depth that is left', async () => {
    const purged = await runCli(['dlq', 'purge', 'customer.requested', '--all', '--json'], env);
    expect(purged.stderr).toBe('');
    expect(purged.code).toBe(0);
    expect(purged.json()).toMatchObject({ purged: 2, skipped: 0 });
    const status = await runCli(['status', '--json'], env);
    expect(status.json<{ dlq: unknown[] }>().dlq).toContainEqual({ topic: topics.customerRequested, depth: 0 });
  });

  it('answers a usage error with exit code 2: no selection, an unknown topic, a malformed id', async () => {
    expect((await runCli(['dlq', 'replay', 'customer.requested'], env)).code).toBe(2);
    expect((await runCli(['dlq', 'list', 'orders'], env)).code).toBe(2);
    expect((await runCli(['dlq', 'show', 'customer.requested', 'seven'], env)).code).toBe(2);
    expect((await runCli(['dlq', 'list'], env)).code).toBe(2);
  });
});
