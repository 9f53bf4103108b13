import { connect } from 'node:net';
import { Writable } from 'node:stream';
import request from 'supertest';
import winston from 'winston';
import { ApiServiceEnv } from '@customer-sync/config';
import { createLogger } from '@customer-sync/logger';
import {
  createTestDatabase,
  serviceConfig,
  testLogger,
  TEST_API_KEY,
  uniqueSuffix,
  waitFor,
  type TestDatabase,
} from '@customer-sync/testing';
import { start, type ApiService } from '../src/service';

const OTHER_KEY = 'second-api-key-0123456789abcdef';
const BUSY_KEY = 'busy-client-key-0123456789abcdef';
const PER_KEY_LIMIT = 8;
const AUTH_FAILURE_LIMIT = 3;
const auth = { Authorization: `Bearer ${TEST_API_KEY}` };

/** A logger that keeps every entry (as JSON objects) for assertions. */
function capturingLogger() {
  const entries: Record<string, unknown>[] = [];
  const logger = createLogger({ service: 'api-service', level: 'debug', format: 'json' });
  const sink = new Writable({
    write(chunk, _encoding, done) {
      entries.push(JSON.parse(String(chunk)));
      done();
    },
  });
  logger.clear().add(new winston.transports.Stream({ stream: sink }));
  return { logger, entries };
}

let database: TestDatabase;
let api: ApiService;
let logs: ReturnType<typeof capturingLogger>;

beforeAll(async () => {
  database = await createTestDatabase();
  logs = capturingLogger();
  api = await start(
    serviceConfig(ApiServiceEnv, {
      DATABASE_URL: database.url,
      KAFKA_TOPIC_SUFFIX: uniqueSuffix(),
      API_KEYS: `${TEST_API_KEY},${OTHER_KEY}`,
      API_RATE_LIMIT_PER_MIN: String(PER_KEY_LIMIT),
      AUTH_FAILURE_LIMIT_PER_MIN: String(AUTH_FAILURE_LIMIT),
    }),
    logs.logger,
  );
  // Kafka is connected in the background; these tests start once it is.
  await api.kafkaStarted;
});
afterAll(async () => {
  await api.stop();
  await database.drop();
});

describe('security headers', () => {
  it('sends helmet’s defaults on the API and frame protection on /docs', async () => {
    const list = await request(api.url).get('/customers').set(auth);
    expect(list.headers['x-content-type-options']).toBe('nosniff');
    const docs = await request(api.url).get('/docs/');
    expect(docs.status).toBe(200);
    expect(docs.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(docs.headers['content-security-policy']).toContain("frame-ancestors 'self'");
  });

  it('marks every answer that carries customer data Cache-Control: no-store', async () => {
    const created = await request(api.url)
      .post('/customers')
      .set(auth)
      .send({ name: 'Cache', email: 'cache@example.com' });
    const got = await request(api.url).get(`/customers/${created.body.id}`).set(auth);
    const list = await request(api.url).get('/customers').set(auth);
    const patched = await request(api.url).patch(`/customers/${created.body.id}`).set(auth).send({ name: 'Cache 2' });
    for (const res of [created, got, list, patched]) expect(res.headers['cache-control']).toBe('no-store');
  });
});

describe('a client that hangs up mid-request', () => {
  it('is logged at info with its request id, not as a 500 with a stack', async () => {
    const requestId = `hangup-${Date.now()}`;
    const socket = connect(api.port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(
      `POST /customers HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TEST_API_KEY}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\nX-Request-Id: ${requestId}\r\n\r\n{"name":"half`,
    );
    await new Promise((r) => setTimeout(r, 100));
    socket.destroy();

    const entry = await waitFor(
      () =>
        logs.entries.find(
          (e) => e.correlationId === requestId && e.level === 'info' && /closed/.test(String(e.message)),
        ),
      { what: 'hang-up logged' },
    );
    expect(entry).toBeDefined();
    expect(logs.entries.filter((e) => e.correlationId === requestId && e.level === 'error')).toEqual([]);
  });
});

describe('rate limits', () => {
  it(`answers 429 with Retry-After past ${PER_KEY_LIMIT} requests a minute for one API key, and leaves other keys alone`, async () => {
    const other = { Authorization: `Bearer ${OTHER_KEY}` };
    const answers = [];
    for (let i = 0; i <= PER_KEY_LIMIT; i++) answers.push(await request(api.url).get('/customers').set(other));
    expect(answers.slice(0, PER_KEY_LIMIT).map((r) => r.status)).toEqual(Array(PER_KEY_LIMIT).fill(200));
    const limited = answers[PER_KEY_LIMIT]!;
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);

    expect((await request(api.url).get('/customers').set(auth)).status).toBe(200);
  });

  it('does not count authenticated requests in flight as failed authentications: 40 at once all answer 200', async () => {
    const busyApi = await start(
      serviceConfig(ApiServiceEnv, {
        DATABASE_URL: database.url,
        KAFKA_TOPIC_SUFFIX: uniqueSuffix(),
        API_KEYS: BUSY_KEY,
        API_RATE_LIMIT_PER_MIN: '1000',
        AUTH_FAILURE_LIMIT_PER_MIN: '2',
      }),
      logs.logger,
    );
    try {
      await busyApi.kafkaStarted;
      const busy = { Authorization: `Bearer ${BUSY_KEY}` };
      const answers = await Promise.all(
        Array.from({ length: 40 }, () => request(busyApi.url).get('/customers').set(busy)),
      );
      expect(answers.map((r) => r.status)).toEqual(Array(40).fill(200));
    } finally {
      await busyApi.stop();
    }
  });

  // Last in the file: it blocks this client address for the rest of the window.
  it(`answers 429 with Retry-After after ${AUTH_FAILURE_LIMIT} failed authentications from one address, even with a valid key`, async () => {
    const wrong = { Authorization: 'Bearer wrong-key-0123456789abcdef' };
    for (let i = 0; i < AUTH_FAILURE_LIMIT; i++)
      expect((await request(api.url).get('/customers').set(wrong)).status).toBe(401);
    const limited = await request(api.url).get('/customers').set(wrong);
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toMatch(/^\d+$/);
    expect((await request(api.url).get('/customers').set(auth)).status).toBe(429);
  });
});

describe('admin port', () => {
  it('serves /metrics and /docs on the main port by default', async () => {
    expect((await request(api.url).get('/metrics')).status).toBe(200);
    expect(api.adminUrl).toBeUndefined();
  });

  it('moves /metrics, /docs and /openapi.json to ADMIN_PORT when it is set', async () => {
    const separate = await start(
      serviceConfig(ApiServiceEnv, { DATABASE_URL: database.url, KAFKA_TOPIC_SUFFIX: uniqueSuffix(), ADMIN_PORT: '0' }),
      testLogger('api-service'),
    );
    try {
      // Its Kafka side connects in the background; stopping mid-connect would leave kafkajs running past the test.
      await separate.kafkaStarted;
      expect(separate.adminUrl).toBeDefined();
      for (const path of ['/metrics', '/docs/', '/openapi.json']) {
        expect((await request(separate.url).get(path)).status).toBe(404);
        expect((await request(separate.adminUrl!).get(path)).status).toBe(200);
      }
      expect((await request(separate.url).get('/health')).status).toBe(200);
    } finally {
      await separate.stop();
    }
  });
});
