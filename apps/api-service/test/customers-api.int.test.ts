import request from 'supertest';
import { ApiServiceEnv } from '@customer-sync/config';
import { CustomerRequested, parseEnvelope } from '@customer-sync/contracts';
import { resolveTopics } from '@customer-sync/kafka';
import {
  collectTopic,
  createTestDatabase,
  serviceConfig,
  testKafka,
  testLogger,
  TEST_API_KEY,
  uniqueSuffix,
  waitFor,
  type TestDatabase,
} from '@customer-sync/testing';
import { start, type ApiService } from '../src/service';

const suffix = uniqueSuffix();
const topics = resolveTopics(suffix);
const auth = { Authorization: `Bearer ${TEST_API_KEY}` };
const jenny = { name: 'Jenny Rosen', email: 'jenny@example.com' };

let database: TestDatabase;
let api: ApiService;

beforeAll(async () => {
  database = await createTestDatabase();
  api = await start(
    serviceConfig(ApiServiceEnv, { DATABASE_URL: database.url, KAFKA_TOPIC_SUFFIX: suffix }),
    testLogger('api-service'),
  );
  // Kafka is connected in the background; these tests start once it is.
  await api.kafkaStarted;
});
afterAll(async () => {
  await api.stop();
  await database.drop();
});
beforeEach(async () => {
  await database.db.raw('truncate customers, outbox, idempotency_keys');
});

const counts = async () => {
  const [customers, outbox] = await Promise.all([
    database.db('customers').count('* as n').first(),
    database.db('outbox').count('* as n').first(),
  ]);
  return { customers: Number(customers!.n), outbox: Number(outbox!.n) };
};

describe('POST /customers', () => {
  it('stores the customer and its outbox entry, answers 202 pending, and publishes customer.requested', async () => {
    const collected = await collectTopic(testKafka(), topics.customerRequested);
    try {
      const res = await request(api.url)
        .post('/customers')
        .set(auth)
        .send({ ...jenny, phone: '+15555550123', metadata: { plan: 'pro' } });
      expect(res.status).toBe(202);
      expect(res.body).toMatchObject({
        ...jenny,
        phone: '+15555550123',
        metadata: { plan: 'pro' },
        syncStatus: 'pending',
        origin: 'api',
        stripeCustomerId: null,
        deletedAt: null,
      });
      expect(await counts()).toEqual({ customers: 1, outbox: 1 });

      await waitFor(() => collected.messages.length === 1, { what: 'customer.requested on Kafka' });
      const message = collected.messages[0]!;
      const envelope = parseEnvelope(CustomerRequested, message.value);
      expect(message.key?.toString()).toBe(res.body.id);
      expect(envelope.payload).toMatchObject({
        action: 'create',
        customerId: res.body.id,
        version: 1,
        changes: { fields: { email: 'jenny@example.com' }, metadata: { set: { plan: 'pro' } } },
      });
      expect(envelope.correlationId).toBe(res.headers['x-request-id']);
      await waitFor(
        async () => Number((await database.db('outbox').whereNull('published_at').count('* as n').first())!.n) === 0,
        { what: 'outbox marked sent' },
      );
    } finally {
      await collected.stop();
    }
  });

  it.each([
    ['no name', { email: 'a@example.com' }, 'body.name'],
    ['empty name', { name: '', email: 'a@example.com' }, 'body.name'],
    ['name too long', { name: 'x'.repeat(257), email: 'a@example.com' }, 'body.name'],
    ['bad email', { name: 'A', email: 'not-an-email' }, 'body.email'],
    ['bad phone', { name: 'A', email: 'a@example.com', phone: 'call me' }, 'body.phone'],
    [
      'description too long (past Stripe’s 5000)',
      { name: 'A', email: 'a@example.com', description: 'x'.repeat(5001) },
      'body.description',
    ],
    ['metadata value not a string', { name: 'A', email: 'a@example.com', metadata: { a: 1 } }, 'body.metadata.a'],
    [
      'metadata key too long',
      { name: 'A', email: 'a@example.com', metadata: { ['k'.repeat(41)]: 'v' } },
      'body.metadata',
    ],
    [
      'metadata value too long',
      { name: 'A', email: 'a@example.com', metadata: { k: 'v'.repeat(501) } },
      'body.metadata.k',
    ],
    [
      'more than 50 metadata keys',
      {
        name: 'A',
        email: 'a@example.com',
        metadata: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v'])),
      },
      'body.metadata',
    ],
    ['unknown field', { name: 'A', email: 'a@example.com', admin: true }, 'body'],
  ])('when the body has %s, answers 400 naming %s and stores nothing', async (_case, body, path) => {
    const res = await request(api.url).post('/customers').set(auth).send(body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.details.map((d: { path: string }) => d.path).join(' ')).toContain(path);
    expect(await counts()).toEqual({ customers: 0, outbox: 0 });
  });

  it('when the body is not JSON, answers 400 without a stack trace', async () => {
    const res = await request(api.url)
      .post('/customers')
      .set(auth)
      .set('content-type', 'application/json')
      .send('{"name":');
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.js|SyntaxError/);
  });

  it.each([
    ['missing', {}],
    ['wrong', { Authorization: 'Bearer wrong-key-wrong-key-wrong' }],
    ['not bearer', { Authorization: `Basic ${TEST_API_KEY}` }],
  ])('when the API key is %s, answers 401 and stores nothing', async (_case, headers) => {
    const res = await request(api.url).post('/customers').set(headers).send(jenny);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthorized');
    expect(await counts()).toEqual({ customers: 0, outbox: 0 });
  });

  it('refuses the reserved link key customer_sync_id in metadata with 400 and stores nothing (issue 9)', async () => {
    const res = await request(api.url)
      .post('/customers')
      .set(auth)
      .send({ ...jenny, metadata: { customer_sync_id: 'x' } });
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path).join(' ')).toContain(
      'body.metadata.customer_sync_id',
    );
    expect(await counts()).toEqual({ customers: 0, outbox: 0 });
  });

  it('keeps the email’s casing and compares it case-insensitively (issue 9)', async () => {
    const res = await request(api.url)
      .post('/customers')
      .set(auth)
      .send({ name: 'Cased', email: 'Mixed.Case@Example.com' });
    expect(res.body.email).toBe('Mixed.Case@Example.com');
    expect(
      (await request(api.url).post('/customers').set(auth).send({ name: 'Other', email: 'mixed.case@example.COM' }))
        .status,
    ).toBe(409);
    const found = await request(api.url).get('/customers').query({ email: 'MIXED.case@example.com' }).set(auth);
    expect(found.body.data.map((c: { id: string }) => c.id)).toEqual([res.body.id]);
  });

  it('when the email belongs to a live customer, answers 409', async () => {
    await request(api.url).post('/customers').set(auth).send(jenny).expect(202);
    const res = await request(api.url)
      .post('/customers')
      .set(auth)
      .send({ ...jenny, name: 'Other' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('email_taken');
    expect(await counts()).toEqual({ customers: 1, outbox: 1 });
  });

  it('with the same Idempotency-Key and body, replays the first answer and writes once', async () => {
    const first = await request(api.url).post('/customers').set(auth).set('Idempotency-Key', 'k-1').send(jenny);
    const second = await request(api.url).post('/customers').set(auth).set('Idempotency-Key', 'k-1').send(jenny);
    expect(second.status).toBe(202);
    expect(second.body).toEqual(first.body);
    expect(await counts()).toEqual({ customers: 1, outbox: 1 });
  });

  it('with the same Idempotency-Key and another body, answers 409 and writes nothing more', async () => {
    await request(api.url).post('/customers').set(auth).set('Idempotency-Key', 'k-2').send(jenny).expect(202);
    const res = await request(api.url)
      .post('/customers')
      .set(auth)
      .set('Idempotency-Key', 'k-2')
      .send({ ...jenny, name: 'Changed' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('idempotency_key_reused');
    expect(await counts()).toEqual({ customers: 1, outbox: 1 });
  });

  it('with an Idempotency-Key over 255 characters, answers 400 and stores nothing', async () => {
    const res = await request(api.url).post('/customers').set(auth).set('Idempotency-Key', 'k'.repeat(256)).send(jenny);
    expect(res.status).toBe(400);
    expect(await counts()).toEqual({ customers: 0, outbox: 0 });
  });

  it('with one Idempotency-Key sent concurrently, writes once', async () => {
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        request(api.url).post('/customers').set(auth).set('Idempotency-Key', 'k-race').send(jenny),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 202, 202]);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(await counts()).toEqual({ customers: 1, outbox: 1 });
  });
});

describe('GET /customers/:id', () => {
  it('answers 200 with the customer', async () => {
    const created = await request(api.url).post('/customers').set(auth).send(jenny);
    const res = await request(api.url).get(`/customers/${created.body.id}`).set(auth);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(created.body);
  });

  it('answers 404 for an unknown id and 400 for a malformed one', async () => {
    expect((await request(api.url).get('/customers/6f1d0a55-8f0e-4b3e-9a53-0e6b8f1c2d3e').set(auth)).status).toBe(404);
    expect((await request(api.url).get('/customers/not-a-uuid').set(auth)).status).toBe(400);
  });
});

describe('GET /customers', () => {
  it('pages through 250 customers with no duplicates or gaps', async () => {
    const rows = Array.from({ length: 250 }, (_, i) => ({
      id: crypto.randomUUID(),
      name: `C${i}`,
      email: `c${i}@example.com`,
      origin: 'api',
      // Several rows share a millisecond, so the id must break ties.
      created_at: new Date(Date.UTC(2026, 0, 1) + Math.floor(i / 3)),
    }));
    await database.db('customers').insert(rows);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: request.Response = await request(api.url)
        .get('/customers')
        .query({ limit: 40, ...(cursor && { cursor }) })
        .set(auth);
      expect(res.status).toBe(200);
      seen.push(...res.body.data.map((c: { id: string }) => c.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(250);
    expect(new Set(seen)).toEqual(new Set(rows.map((r) => r.id)));
  });

  it('filters by email', async () => {
    await request(api.url).post('/customers').set(auth).send(jenny);
    await request(api.url).post('/customers').set(auth).send({ name: 'B', email: 'b@example.com' });
    const res = await request(api.url).get('/customers').query({ email: 'B@example.com' }).set(auth);
    expect(res.body.data.map((c: { email: string }) => c.email)).toEqual(['b@example.com']);
    expect(res.body.nextCursor).toBeNull();
  });

  it.each([[{ limit: 0 }], [{ limit: 101 }], [{ cursor: 'garbage' }], [{ email: 'nope' }]])(
    'answers 400 for query %j',
    async (query) => {
      expect((await request(api.url).get('/customers').query(query).set(auth)).status).toBe(400);
    },
  );
});

describe('PATCH /customers/:id', () => {
  it('updates the row, bumps its version, answers 202 pending and queues an update', async () => {
    const created = await request(api.url).post('/customers').set(auth).send(jenny);
    const res = await request(api.url)
      .patch(`/customers/${created.body.id}`)
      .set(auth)
      .send({ name: 'Jenny R.', phone: null });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ name: 'Jenny R.', email: jenny.email, syncStatus: 'pending' });
    const outbox = await database.db('outbox').orderBy('id');
    expect(outbox.map((o) => o.message.payload.action)).toEqual(['create', 'update']);
    expect(outbox[1].message.payload.version).toBe(2);
  });

  it('queues only what the write changed: fields whose value differs, metadata keys set and removed (issue 9)', async () => {
    const created = await request(api.url)
      .post('/customers')
      .set(auth)
      .send({ ...jenny, phone: '+15555550100', metadata: { a: '1', b: '2' } });
    await request(api.url)
      .patch(`/customers/${created.body.id}`)
      .set(auth)
      .send({ name: jenny.name, description: 'x', metadata: { a: '1', c: '3' } })
      .expect(202);
    const [, update] = await database.db('outbox').where({ message_key: created.body.id }).orderBy('id');
    expect(update.message.payload.changes).toEqual({
      fields: { description: 'x' },
      metadata: { set: { c: '3' }, unset: ['b'] },
    });
    const row = await database.db('customers').where({ id: created.body.id }).first();
    expect(row.pending_fields).toMatchObject({ description: 2, 'metadata.c': 2, 'metadata.b': 2, name: 1 });
  });

  it('refuses internal_id equal to the customer’s own id (the legacy link key, which reads as hidden) with 400; another value round-trips (issue 9)', async () => {
    const created = await request(api.url)
      .post('/customers')
      .set(auth)
      .send({ ...jenny, metadata: { x: '1' } });
    const res = await request(api.url)
      .patch(`/customers/${created.body.id}`)
      .set(auth)
      .send({ metadata: { x: '1', internal_id: created.body.id } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toEqual(['body.metadata.internal_id']);
    expect(await counts()).toEqual({ customers: 1, outbox: 1 });
    const other = await request(api.url)
      .patch(`/customers/${created.body.id}`)
      .set(auth)
      .send({ metadata: { x: '1', internal_id: 'tool-42' } });
    expect(other.status).toBe(202);
    expect(other.body.metadata).toEqual({ x: '1', internal_id: 'tool-42' });
  });

  it('checks internal_id against the path’s id before looking the customer up: an unknown id answers 400 too, and the Idempotency-Key is not used up (issue 9)', async () => {
    const unknown = crypto.randomUUID();
    const refused = await request(api.url)
      .patch(`/customers/${unknown}`)
      .set(auth)
      .send({ metadata: { internal_id: unknown } });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details.map((d: { path: string }) => d.path)).toEqual(['body.metadata.internal_id']);
    const created = await request(api.url).post('/customers').set(auth).send(jenny);
    const key = { 'Idempotency-Key': `own-link-${created.body.id}` };
    expect(
      (
        await request(api.url)
          .patch(`/customers/${created.body.id}`)
          .set(auth)
          .set(key)
          .send({ metadata: { internal_id: created.body.id } })
      ).status,
    ).toBe(400);
    const fixed = await request(api.url)
      .patch(`/customers/${created.body.id}`)
      .set(auth)
      .set(key)
      .send({ metadata: { internal_id: 'tool-7' } });
    expect(fixed.status).toBe(202);
    expect(fixed.body.metadata).toEqual({ internal_id: 'tool-7' });
  });

  it('answers 400 for an empty body, 404 for an unknown id', async () => {
    const created = await request(api.url).post('/customers').set(auth).send(jenny);
    expect((await request(api.url).patch(`/customers/${created.body.id}`).set(auth).send({})).status).toBe(400);
    expect(
      (await request(api.url).patch('/customers/6f1d0a55-8f0e-4b3e-9a53-0e6b8f1c2d3e').set(auth).send({ name: 'X' }))
        .status,
    ).toBe(404);
  });
});

describe('DELETE /customers/:id', () => {
  it('marks the customer deleted, answers 202 and queues a delete; a second delete is 404', async () => {
    const created = await request(api.url).post('/customers').set(auth).send(jenny);
    const res = await request(api.url).delete(`/customers/${created.body.id}`).set(auth);
    expect(res.status).toBe(202);
    expect(res.body.deletedAt).not.toBeNull();
    const outbox = await database.db('outbox').orderBy('id');
    expect(outbox.map((o) => o.message.payload.action)).toEqual(['create', 'delete']);
    expect((await request(api.url).delete(`/customers/${created.body.id}`).set(auth)).status).toBe(404);
  });

  it('records on the row that the user deleted it, so no re-link undoes it once the outbox is pruned (issue 9)', async () => {
    const created = await request(api.url).post('/customers').set(auth).send(jenny);
    await request(api.url).delete(`/customers/${created.body.id}`).set(auth).expect(202);
    const row = await database.db('customers').where({ id: created.body.id }).first();
    expect(row.api_deleted_at).toEqual(row.deleted_at);
  });

  it('frees the email for a new customer', async () => {
    const created = await request(api.url).post('/customers').set(auth).send(jenny);
    await request(api.url).delete(`/customers/${created.body.id}`).set(auth).expect(202);
    await request(api.url).post('/customers').set(auth).send(jenny).expect(202);
  });
});

describe('GET /customers/:id/history', () => {
  it('lists the API writes with the changes they carried, oldest first, in pages', async () => {
    const created = await request(api.url).post('/customers').set(auth).send(jenny);
    for (const name of ['J1', 'J2', 'J3'])
      await request(api.url).patch(`/customers/${created.body.id}`).set(auth).send({ name }).expect(202);
    const first = await request(api.url)
      .get(`/customers/${created.body.id}/history`)
      .query({ limit: 3 })
      .set(auth)
      .expect(200);
    expect(first.body.data.map((e: { kind: string; type: string }) => `${e.kind}:${e.type}`)).toEqual([
      'api-write:create',
      'api-write:update',
      'api-write:update',
    ]);
    expect(first.body.data[1].detail).toEqual({
      version: 2,
      changes: { fields: { name: 'J1' }, metadata: { set: {}, unset: [] } },
    });
    const second = await request(api.url)
      .get(`/customers/${created.body.id}/history`)
      .query({ limit: 3, cursor: first.body.nextCursor })
      .set(auth)
      .expect(200);
    expect(second.body).toMatchObject({ data: [{ kind: 'api-write', detail: { version: 4 } }], nextCursor: null });
    expect(
      (await request(api.url).get('/customers/6f1d0a55-8f0e-4b3e-9a53-0e6b8f1c2d3e/history').set(auth)).status,
    ).toBe(404);
  });
});

describe('service routes', () => {
  it('answers /health, /ready, /metrics and /checking', async () => {
    expect((await request(api.url).get('/health')).body).toEqual({ status: 'ok' });
    expect((await request(api.url).get('/ready')).body).toMatchObject({ status: 'ready', checks: { database: 'ok' } });
    expect((await request(api.url).get('/metrics')).text).toContain('outbox_unpublished');
    expect((await request(api.url).get('/checking')).body).toEqual({ message: 'this endpoint is working' });
  });

  it('serves the OpenAPI document and the docs page', async () => {
    const doc = await request(api.url).get('/openapi.json');
    expect(doc.body.openapi).toBe('3.1.0');
    expect(doc.body.components.schemas.CreateCustomerRequest.required).toEqual(['name', 'email']);
    expect(doc.body.paths['/customers/{id}/history'].get.responses[200].content['application/json'].schema.$ref).toBe(
      '#/components/schemas/CustomerHistory',
    );
    expect((await request(api.url).get('/docs/')).text).toContain('swagger-ui');
  });

  it('documents PATCH’s 400 for internal_id equal to the customer’s own id, as the API answers it (issue 9)', async () => {
    const { body: doc } = await request(api.url).get('/openapi.json');
    const refused = doc.paths['/customers/{id}'].patch.responses[400];
    expect(refused.description).toMatch(/metadata\.internal_id.*own id/s);
    expect(refused.content['application/json'].schema.$ref).toBe('#/components/schemas/Error');
    const example = refused.content['application/json'].examples.ownLegacyLinkKey.value;
    const created = await request(api.url).post('/customers').set(auth).send(jenny);
    const res = await request(api.url)
      .patch(`/customers/${created.body.id}`)
      .set(auth)
      .send({ metadata: { internal_id: created.body.id } });
    expect(res.status).toBe(400);
    expect(res.body).toEqual(example);
  });
});
