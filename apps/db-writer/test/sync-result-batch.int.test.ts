import type { Knex } from 'knex';
import {
  dlqTopicOf,
  makeEnvelope,
  type CustomerSyncResult,
  type CustomerSyncResultPayload,
} from '@customer-sync/contracts';
import { handleSyncResult } from '@customer-sync/customer-writer';
import { DlqHeaders, groupName, publish } from '@customer-sync/kafka';
import { collectTopic, testKafka, testLogger, useTestDatabase, waitFor } from '@customer-sync/testing';
import { useRunningDbWriter } from './db-writer-test-setup';

const logger = testLogger('sync-result-batch-test');
const PARTITIONS = 3;

const bed = useRunningDbWriter({
  clientId: 'sync-result-batch-test',
  env: { KAFKA_TOPIC_PARTITIONS: String(PARTITIONS) },
});
const { suffix, topics, database } = bed;
/** The one-at-a-time path's database, fed the same results directly. */
const reference = useTestDatabase();

type Payload = Omit<CustomerSyncResultPayload, 'requestId' | 'error'> &
  Partial<Pick<CustomerSyncResultPayload, 'error'>>;
const resultOf = (payload: Payload): CustomerSyncResult =>
  makeEnvelope(
    'customer.sync-result',
    { requestId: crypto.randomUUID(), error: null, ...payload },
    { correlationId: `c-${payload.customerId}` },
  );

/** Every result in one produce request, keyed by `key` or by its customer, so each partition's share arrives as one batch. */
const publishAll = (results: CustomerSyncResult[], key?: string) =>
  publish(
    bed.producer,
    topics.customerSyncResults,
    results.map((r) => ({ key: key ?? r.payload.customerId, value: JSON.stringify(r) })),
  );

/**
 * Rows by id (or, for rows of origin stripe, whose ids are random, by Stripe id), with times as
 * present or not (now() differs between the two databases) and a refetch's random stamp id as such.
 */
async function rowsOf(db: Knex, ids: string[]): Promise<Record<string, unknown>> {
  const rows = await db('customers').whereIn('id', ids).orWhereIn('duplicate_of', ids).orderBy('id');
  return Object.fromEntries(
    rows.map(({ id, created_at: _c, updated_at: _u, deleted_at, stripe_deleted_at, stripe_event_id, ...row }) => [
      row.origin === 'api' ? id : row.stripe_customer_id,
      {
        ...row,
        deleted: !!deleted_at,
        stripeDeleted: !!stripe_deleted_at,
        stripe_event_id: String(stripe_event_id).startsWith('refetch:') ? 'refetch' : stripe_event_id,
      },
    ]),
  );
}

/** The one-at-a-time path on the reference database, with the writer's Stripe. */
const oneAtATime = async (results: CustomerSyncResult[]) => {
  for (const result of results) await handleSyncResult({ db: reference.db, stripe: bed.stripe(), logger }, result);
};

const processedOf = (db: Knex, ids: string[]) =>
  db('processed_events')
    .whereIn('event_id', ids)
    .orderBy('event_id')
    .select('event_id', 'source', 'outcome', 'customer_id', 'event_type', 'detail');

describe('customer.sync-results in partition batches', () => {
  it('ends in exactly the rows and records the one-at-a-time path gives, in at most one transaction per partition', async () => {
    // Arrange: 40 API rows; customers 0–4 get several results in order, one waits on a newer write.
    const ids = Array.from({ length: 40 }, () => crypto.randomUUID());
    const seed = ids.map((id, i) => ({
      id,
      name: `N${i}`,
      email: `n${i}-${suffix}@example.com`,
      origin: 'api',
      sync_status: 'pending',
      version: i < 5 ? 3 : i === 5 ? 2 : 1,
      pending_fields: JSON.stringify(i < 5 ? { name: 3, email: 2 } : { name: 1 }),
    }));
    await Promise.all([database.db('customers').insert(seed), reference.db('customers').insert(seed)]);
    const results: CustomerSyncResult[] = [];
    ids.forEach((customerId, i) => {
      const stripeCustomerId = `cus_bat${i}${suffix.slice(-6)}`;
      results.push(
        resultOf({
          customerId,
          action: 'create',
          version: 1,
          outcome: 'synced',
          stripeCustomerId,
          requestedAt: new Date().toISOString(),
        }),
      );
      if (i < 5) {
        results.push(resultOf({ customerId, action: 'update', version: 2, outcome: 'synced', stripeCustomerId }));
        results.push(
          resultOf({
            customerId,
            action: 'update',
            version: 3,
            outcome: i === 0 ? 'failed' : 'synced',
            stripeCustomerId,
            error: i === 0 ? { code: 'x', message: 'refused' } : null,
          }),
        );
      }
      if (i === 7)
        results.push(
          resultOf({ customerId, action: 'delete', version: 1, outcome: 'deleted_in_stripe', stripeCustomerId }),
        );
    });
    results.push(results[3]!); // a duplicate delivery, after later results of the same customer
    const unknown = crypto.randomUUID();
    results.push(
      resultOf({
        customerId: unknown,
        action: 'create',
        version: 1,
        outcome: 'synced',
        stripeCustomerId: `cus_unknown${suffix.slice(-6)}`,
      }),
    );
    const resultIds = [...new Set(results.map((r) => r.id))];
    const known = results.filter((r) => r.payload.customerId !== unknown);

    // Act: the reference one at a time, the writer from Kafka.
    await oneAtATime(results);
    await publishAll(results);
    await waitFor(
      async () => (await processedOf(database.db, resultIds)).length === new Set(known.map((r) => r.id)).size,
      { what: 'sync results applied' },
    );
    // The unknown customer's result records nothing: wait until its partition's offsets are committed.
    await waitFor(async () => (await committedOffsets()) === results.length, { what: 'offsets committed' });

    // Assert
    expect(await rowsOf(database.db, ids)).toEqual(await rowsOf(reference.db, ids));
    expect(await processedOf(database.db, resultIds)).toEqual(await processedOf(reference.db, resultIds));
    expect(await database.db('customers').where({ id: unknown }).first()).toBeUndefined();
    const transactions = await database
      .db('processed_events')
      .whereIn('event_id', resultIds)
      .countDistinct({ n: database.db.raw('xmin::text') })
      .first();
    expect(Number(transactions!.n)).toBeLessThanOrEqual(PARTITIONS);
  });

  it('re-links a claimed in-flight row, and lets a claimant go when its create failed, inside a batch exactly as one at a time (claimant rows, refetch), also when the create is delivered twice', async () => {
    // Arrange: rows A and C claimed by strangers while their creates were in flight (C's create fails); row B plain; all on one partition.
    const stripe = bed.stripe();
    const [a, b, c] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
    const ours = await stripe.customers.create({
      name: 'Ours',
      email: `ours-${suffix}@example.com`,
      metadata: { customer_sync_id: a },
    });
    const stranger = await stripe.customers.create({
      name: 'Stranger',
      email: `evil-${suffix}@example.com`,
      metadata: { customer_sync_id: a },
    });
    const strangerOfC = await stripe.customers.create({
      name: 'Stranger C',
      metadata: { customer_sync_id: c, extra: 'x' },
    });
    const seed = [
      {
        id: a,
        name: 'Ours',
        email: `ours-${suffix}@example.com`,
        origin: 'api',
        sync_status: 'pending',
        stripe_customer_id: stranger.id,
        pending_fields: JSON.stringify({ name: 1, email: 1 }),
      },
      {
        id: b,
        name: 'B',
        email: `b-${suffix}@example.com`,
        origin: 'api',
        sync_status: 'pending',
        pending_fields: JSON.stringify({ name: 1 }),
      },
      {
        id: c,
        name: 'C',
        email: `c-${suffix}@example.com`,
        origin: 'api',
        sync_status: 'pending',
        stripe_customer_id: strangerOfC.id,
        metadata: JSON.stringify({ plan: 'pro' }),
        pending_fields: JSON.stringify({ name: 1, email: 1, 'metadata.plan': 1 }),
      },
    ];
    await Promise.all([database.db('customers').insert(seed), reference.db('customers').insert(seed)]);
    const create = resultOf({
      customerId: a,
      action: 'create',
      version: 1,
      outcome: 'synced',
      stripeCustomerId: ours.id,
    });
    const failed = resultOf({
      customerId: c,
      action: 'create',
      version: 1,
      outcome: 'failed',
      stripeCustomerId: null,
      error: { code: 'email_invalid', message: 'Invalid email address' },
    });
    const results = [
      resultOf({
        customerId: b,
        action: 'create',
        version: 1,
        outcome: 'synced',
        stripeCustomerId: `cus_b${suffix.slice(-6)}`,
      }),
      create,
      failed,
      create,
    ];

    // Act
    await oneAtATime(results);
    const before = await committedOffsets();
    await publishAll(results, a);
    await waitFor(async () => (await committedOffsets()) === before + results.length, { what: 'offsets committed' });

    // Assert
    const rows = await rowsOf(database.db, [a, b, c]);
    expect(rows).toEqual(await rowsOf(reference.db, [a, b, c]));
    expect(rows[a]).toMatchObject({ stripe_customer_id: ours.id, sync_status: 'synced' });
    expect(rows[stranger.id]).toMatchObject({ origin: 'stripe', duplicate_of: a, name: 'Stranger' });
    expect(rows[c]).toMatchObject({ stripe_customer_id: null, sync_status: 'failed', name: 'C' });
    expect(rows[strangerOfC.id]).toMatchObject({ origin: 'stripe', duplicate_of: c, name: 'Stranger C' });
  });

  it('dead-letters a poison result in the middle of a batch alone and applies the others', async () => {
    // Arrange: five customers' results on one partition; the third cannot be stored (NUL in text: SQLSTATE 22021).
    const ids = Array.from({ length: 5 }, () => crypto.randomUUID());
    await database.db('customers').insert(
      ids.map((id, i) => ({
        id,
        name: `P${i}`,
        email: `p${i}-${suffix}@example.com`,
        origin: 'api',
        sync_status: 'pending',
      })),
    );
    const results = ids.map((customerId, i) =>
      resultOf({
        customerId,
        action: 'create',
        version: 1,
        outcome: 'synced',
        stripeCustomerId: i === 2 ? 'cus_\u0000poison' : `cus_poi${i}${suffix.slice(-6)}`,
      }),
    );
    const dlq = await collectTopic(testKafka(), dlqTopicOf(topics.customerSyncResults));
    try {
      // Act
      await publishAll(results, 'one-partition');
      await waitFor(() => dlq.messages.length >= 1, { what: 'dead letter' });
      await waitFor(
        async () => (await database.db('customers').whereIn('id', ids).where({ sync_status: 'synced' })).length === 4,
        { what: 'the others applied' },
      );

      // Assert
      expect(dlq.messages).toHaveLength(1);
      expect(JSON.parse(dlq.messages[0]!.value!.toString()).id).toBe(results[2]!.id);
      expect(dlq.messages[0]!.headers?.[DlqHeaders.error]?.toString()).toMatch(/0x00/);
      const poisoned = await database.db('customers').where({ id: ids[2] }).first();
      expect(poisoned).toMatchObject({ sync_status: 'pending', stripe_customer_id: null });
    } finally {
      await dlq.stop();
    }
  });
});

/** The sum of the writer group's committed offsets on the sync-results topic. */
async function committedOffsets(): Promise<number> {
  const admin = testKafka().admin();
  await admin.connect();
  try {
    const [topic] = await admin.fetchOffsets({
      groupId: groupName('db-writer', suffix),
      topics: [topics.customerSyncResults],
    });
    return topic!.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
  } finally {
    await admin.disconnect();
  }
}
