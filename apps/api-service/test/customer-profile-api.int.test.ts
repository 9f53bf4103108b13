import request from 'supertest';
import { ApiServiceEnv } from '@customer-sync/config';
import {
  createTestDatabase,
  serviceConfig,
  testLogger,
  TEST_API_KEY,
  uniqueSuffix,
  type TestDatabase,
} from '@customer-sync/testing';
import { start, type ApiService } from '../src/service';

const auth = { Authorization: `Bearer ${TEST_API_KEY}` };
const jenny = { name: 'Jenny Rosen', email: 'jenny@example.com' };
const paris = { line1: '1 Rue de Rivoli', city: 'Paris', postalCode: '75001', country: 'FR' };
const parisAnswered = { ...paris, line2: null, state: null };
const parisStored = {
  line1: '1 Rue de Rivoli',
  line2: null,
  city: 'Paris',
  state: null,
  postal_code: '75001',
  country: 'FR',
};
const profile = {
  address: paris,
  shipping: { name: 'Jenny Rosen', phone: '+33123456789', address: paris },
  preferredLocales: ['fr-FR', 'en'],
  taxExempt: 'exempt',
};

let database: TestDatabase;
let api: ApiService;

beforeAll(async () => {
  database = await createTestDatabase();
  api = await start(
    serviceConfig(ApiServiceEnv, { DATABASE_URL: database.url, KAFKA_TOPIC_SUFFIX: uniqueSuffix() }),
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

/** The fields the newest command of a customer asks Stripe to write, by Stripe name. */
async function lastCommandFields(customerId: string): Promise<Record<string, unknown>> {
  const entry = await database.db('outbox').where({ message_key: customerId }).orderBy('id', 'desc').first();
  return entry.message.payload.changes.fields;
}

const create = (body: object) =>
  request(api.url)
    .post('/customers')
    .set(auth)
    .send({ ...jenny, ...body });
const patch = (id: string, body: object) => request(api.url).patch(`/customers/${id}`).set(auth).send(body);

describe('POST /customers with the profile', () => {
  it('stores address, shipping, preferred locales and tax exemption, answers them, and queues them for Stripe', async () => {
    const res = await create(profile);
    expect(res.status).toBe(202);
    const answered = {
      address: parisAnswered,
      shipping: { name: 'Jenny Rosen', phone: '+33123456789', address: parisAnswered },
      preferredLocales: ['fr-FR', 'en'],
      taxExempt: 'exempt',
    };
    expect(res.body).toMatchObject(answered);
    expect((await request(api.url).get(`/customers/${res.body.id}`).set(auth)).body).toMatchObject(answered);
    expect(await lastCommandFields(res.body.id)).toMatchObject({
      address: parisStored,
      shipping: { name: 'Jenny Rosen', phone: '+33123456789', address: parisStored },
      preferred_locales: ['fr-FR', 'en'],
      tax_exempt: 'exempt',
    });
  });

  it('without the profile, answers Stripe’s defaults: no address or shipping, no locales, tax exemption none', async () => {
    const res = await create({});
    expect(res.body).toMatchObject({ address: null, shipping: null, preferredLocales: [], taxExempt: 'none' });
  });

  it('stores an empty address part as null, as Stripe does', async () => {
    const res = await create({ address: { ...paris, line2: '' } });
    expect(res.body.address).toEqual(parisAnswered);
  });

  it.each([
    ['an unknown address part', 'body.address', { address: { street: 'x' } }],
    ['an address part over Stripe’s 5000', 'body.address.city', { address: { city: 'x'.repeat(5001) } }],
    ['U+0000 in an address part', 'body.address.city', { address: { city: 'a\u0000b' } }],
    ['shipping without a name', 'body.shipping.name', { shipping: { address: paris } }],
    ['shipping without an address', 'body.shipping.address', { shipping: { name: 'Jenny' } }],
    ['shipping with a carrier', 'body.shipping', { shipping: { name: 'Jenny', address: paris, carrier: 'UPS' } }],
    ['a locale that is not a string', 'body.preferredLocales.0', { preferredLocales: [1] }],
    ['an empty locale', 'body.preferredLocales.0', { preferredLocales: [''] }],
    ['a tax exemption Stripe does not know', 'body.taxExempt', { taxExempt: 'partial' }],
  ])('with %s, answers 400 naming %s and stores nothing', async (_case, path, body) => {
    const res = await create(body);
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path).join(' ')).toContain(path);
    expect(Number((await database.db('customers').count('* as n').first())!.n)).toBe(0);
  });
});

describe('PATCH /customers/:id with nested partial updates', () => {
  it('changes only the address parts given; null clears a part; the command carries the whole merged address', async () => {
    const { body } = await create(profile);
    const res = await patch(body.id, { address: { city: 'Lyon', postalCode: null, line2: 'Apt 4' } });
    expect(res.status).toBe(202);
    expect(res.body.address).toEqual({ ...parisAnswered, city: 'Lyon', postalCode: null, line2: 'Apt 4' });
    expect(res.body.shipping).toEqual(body.shipping);
    expect(await lastCommandFields(body.id)).toEqual({
      address: { ...parisStored, city: 'Lyon', postal_code: null, line2: 'Apt 4' },
    });
  });

  it('merges shipping down to its address parts', async () => {
    const { body } = await create(profile);
    const res = await patch(body.id, { shipping: { phone: null, address: { city: 'Lyon' } } });
    expect(res.body.shipping).toEqual({
      name: 'Jenny Rosen',
      phone: null,
      address: { ...parisAnswered, city: 'Lyon' },
    });
    expect(res.body.address).toEqual(parisAnswered);
  });

  it('removes address and shipping with null and empties the locales with []', async () => {
    const { body } = await create(profile);
    const res = await patch(body.id, { address: null, shipping: null, preferredLocales: [] });
    expect(res.body).toMatchObject({ address: null, shipping: null, preferredLocales: [], taxExempt: 'exempt' });
    expect(await lastCommandFields(body.id)).toEqual({ address: null, shipping: null, preferred_locales: [] });
  });

  it('gives a customer without shipping one only with a name; otherwise answers 400 and changes nothing', async () => {
    const { body } = await create({});
    const refused = await patch(body.id, { shipping: { address: { city: 'Lyon' } } });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details).toEqual([{ path: 'body.shipping.name', message: expect.any(String) }]);
    expect((await request(api.url).get(`/customers/${body.id}`).set(auth)).body).toMatchObject({
      shipping: null,
      syncStatus: 'pending',
    });
    expect(Number((await database.db('outbox').count('* as n').first())!.n)).toBe(1);

    const res = await patch(body.id, { shipping: { name: 'Jenny', address: { city: 'Lyon' } } });
    expect(res.body.shipping).toEqual({
      name: 'Jenny',
      phone: null,
      address: { line1: null, line2: null, city: 'Lyon', state: null, postalCode: null, country: null },
    });
  });

  it('sets the tax exemption alone', async () => {
    const { body } = await create({});
    expect((await patch(body.id, { taxExempt: 'reverse' })).body.taxExempt).toBe('reverse');
    expect(await lastCommandFields(body.id)).toEqual({ tax_exempt: 'reverse' });
  });
});

describe('the OpenAPI document', () => {
  it('describes the profile fields of requests and answers', async () => {
    const { body: doc } = await request(api.url).get('/openapi.json');
    const { CreateCustomerRequest, UpdateCustomerRequest, Customer } = doc.components.schemas;
    for (const field of ['address', 'shipping', 'preferredLocales', 'taxExempt']) {
      expect(CreateCustomerRequest.properties).toHaveProperty(field);
      expect(UpdateCustomerRequest.properties).toHaveProperty(field);
      expect(Customer.required).toContain(field);
    }
    expect(JSON.stringify(CreateCustomerRequest.properties.taxExempt)).toContain('reverse');
    expect(JSON.stringify(CreateCustomerRequest.properties.shipping)).toContain('postalCode');
    expect(UpdateCustomerRequest.properties.address.description).toMatch(/part by part/);
  });
});
