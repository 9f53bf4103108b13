import { ApiServiceEnv } from '@customer-sync/config';
import { ErrorBody } from '@customer-sync/contracts';
import {
  createTestDatabase,
  rawRequest,
  serviceConfig,
  testLogger,
  TEST_API_KEY,
  uniqueSuffix,
  type TestDatabase,
} from '@customer-sync/testing';
import { start, type ApiService } from '../src/service';
import { HOSTILE_API_CASES, type HostileCase } from './hostile-api-cases';

const MAX_ERROR_BODY_BYTES = 8 * 1024;

let database: TestDatabase;
let api: ApiService;
let customerId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  api = await start(
    serviceConfig(ApiServiceEnv, {
      DATABASE_URL: database.url,
      KAFKA_TOPIC_SUFFIX: uniqueSuffix(),
      API_RATE_LIMIT_PER_MIN: '100000',
      AUTH_FAILURE_LIMIT_PER_MIN: '100000',
    }),
    testLogger('api-service'),
  );
  // Kafka is connected in the background; these tests start once it is.
  await api.kafkaStarted;
  const created = await rawRequest(api.url, {
    method: 'POST',
    path: '/customers',
    headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Stored Customer', email: 'stored@example.com', metadata: { plan: 'pro' } }),
  });
  customerId = (created.json as { id: string }).id;
});
afterAll(async () => {
  await api.stop();
  await database.drop();
});

/** Everything a request could have stored: customers, outbox entries and idempotency keys. */
const storedState = async () => ({
  customers: await database.db('customers').select('*').orderBy('id'),
  outbox: await database.db('outbox').count('* as n').first(),
  idempotencyKeys: await database.db('idempotency_keys').count('* as n').first(),
});

function send(c: HostileCase) {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    ...(c.noAuth ? {} : { authorization: `Bearer ${TEST_API_KEY}` }),
    ...c.headers,
  };
  const body = c.raw ?? (c.body === undefined ? undefined : JSON.stringify(c.body));
  return rawRequest(api.url, { method: c.method, path: c.path.replace(':id', customerId), headers, body });
}

describe('hostile input on the REST API', () => {
  it('has at least 50 cases', () => {
    expect(HOSTILE_API_CASES.length).toBeGreaterThanOrEqual(50);
  });

  it.each(HOSTILE_API_CASES.map((c) => [c.name, c] as const))(
    '%s: answers its documented 4xx with the error body, no stack, and stores nothing',
    async (_name, c) => {
      const before = await storedState();

      const res = await send(c);

      expect({ status: res.status, code: (res.json as ErrorBody | undefined)?.error?.code }).toEqual({
        status: c.status,
        code: c.code,
      });
      expect(ErrorBody.safeParse(res.json).success).toBe(true);
      expect(res.text).not.toMatch(/\bat .+:\d+:\d+|stack|node_modules|SyntaxError|select |insert |update /i);
      expect(Buffer.byteLength(res.text)).toBeLessThanOrEqual(MAX_ERROR_BODY_BYTES);
      expect(await storedState()).toEqual(before);
    },
  );
});
