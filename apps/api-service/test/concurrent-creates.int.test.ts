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

// Creates that arrive together may share one INSERT (group commit): each must still get the answer
// it would get alone, and a 202 must mean its row and outbox entry are stored.
const auth = { Authorization: `Bearer ${TEST_API_KEY}` };
const CONCURRENT = 30;

let database: TestDatabase;
let api: ApiService;

beforeAll(async () => {
  database = await createTestDatabase();
  const env = { DATABASE_URL: database.url, KAFKA_TOPIC_SUFFIX: uniqueSuffix(), API_CREATE_GROUPS_IN_FLIGHT: '1' };
  api = await start(serviceConfig(ApiServiceEnv, env), testLogger('api-service'));
});
afterAll(async () => {
  await api.stop();
  await database.drop();
});
beforeEach(async () => {
  await database.db.raw('truncate customers, outbox, idempotency_keys');
});

const customer = (i: number) => ({ name: `Customer ${i}`, email: `c${i}@example.com` });
const post = (body: object, key?: string) => {
  const req = request(api.url).post('/customers').set(auth);
  return (key ? req.set('Idempotency-Key', key) : req).send(body);
};

/**
 * Runs `act` while a transaction holds a lock that makes inserts into customers wait, released after
 * `holdMs`: the creates sent meanwhile queue behind the first one and are written as one group.
 */
async function withInsertsHeld<T>(act: () => Promise<T>, holdMs = 1500): Promise<T> {
  const trx = await database.db.transaction();
  await trx.raw('lock table customers in share mode');
  const acting = act();
  await new Promise((resolve) => setTimeout(resolve, holdMs));
  await trx.commit();
  return acting;
}

/** How many transactions wrote the customers rows (rows of one group share one). */
const writingTransactions = async () =>
  Number((await database.db.raw('select count(distinct xmin::text) as n from customers')).rows[0].n);

/** The stored customers' ids, and the customer ids the outbox entries name. */
async function stored() {
  const rows = await database.db('customers').select('id', 'email');
  const outbox = await database.db('outbox').select('message_key');
  return {
    ids: rows.map((r) => r.id as string).sort(),
    emails: rows.map((r) => r.email as string),
    outboxKeys: outbox.map((o) => o.message_key as string).sort(),
  };
}

describe('POST /customers, concurrently', () => {
  it('when one of many concurrent creates takes a claimed email, that one answers 409 and every other answers 202 with its row and outbox entry stored', async () => {
    const first = await post({ name: 'First', email: 'taken@example.com' }).expect(202);

    const bodies = Array.from({ length: CONCURRENT }, (_, i) =>
      i === 17 ? { name: 'Late', email: 'TAKEN@example.com' } : customer(i),
    );
    const answers = await withInsertsHeld(() => Promise.all(bodies.map((body) => post(body))));

    expect(answers[17]!.status).toBe(409);
    expect(answers[17]!.body.error.code).toBe('email_taken');
    const accepted = answers.filter((_, i) => i !== 17);
    expect(accepted.map((a) => a.status)).toEqual(Array(CONCURRENT - 1).fill(202));
    accepted.forEach((a, i) => expect(a.body.email).toBe(bodies[i < 17 ? i : i + 1]!.email));
    const { ids, outboxKeys } = await stored();
    expect(ids).toEqual([first.body.id as string, ...accepted.map((a) => a.body.id as string)].sort());
    expect(outboxKeys).toEqual(ids);
  });

  it('writes creates that arrive while one is being written as one group: one INSERT, one commit, every row with its outbox entry', async () => {
    const answers = await withInsertsHeld(() =>
      Promise.all(Array.from({ length: CONCURRENT }, (_, i) => post(customer(i)))),
    );

    expect(answers.map((a) => a.status)).toEqual(Array(CONCURRENT).fill(202));
    const { ids, outboxKeys } = await stored();
    expect(ids).toEqual(answers.map((a) => a.body.id as string).sort());
    expect(outboxKeys).toEqual(ids);
    expect(await writingTransactions()).toBeLessThan(CONCURRENT / 2);
  });

  it('when two concurrent creates among many share an email, exactly one of them answers 202 and the other 409', async () => {
    const bodies = [
      ...Array.from({ length: CONCURRENT }, (_, i) => customer(i)),
      { name: 'Twin', email: 'c3@Example.com' },
    ];
    const answers = await withInsertsHeld(() => Promise.all(bodies.map((body) => post(body))));

    const twins = [answers[3]!.status, answers[CONCURRENT]!.status].sort();
    expect(twins).toEqual([202, 409]);
    expect(answers.filter((a) => a.status === 202)).toHaveLength(CONCURRENT);
    const { ids, outboxKeys } = await stored();
    expect(ids).toEqual(
      answers
        .filter((a) => a.status === 202)
        .map((a) => a.body.id as string)
        .sort(),
    );
    expect(outboxKeys).toEqual(ids);
  });

  it('with Idempotency-Keys replayed concurrently among plain creates, each key writes once and every replay gets its first answer', async () => {
    const keyed = Array.from({ length: 5 }, (_, k) =>
      Array.from({ length: 4 }, () => post(customer(100 + k), `race-${k}`)),
    );
    const plain = Array.from({ length: CONCURRENT }, (_, i) => post(customer(i)));
    const [keyedAnswers, plainAnswers] = await withInsertsHeld(() =>
      Promise.all([Promise.all(keyed.flat()), Promise.all(plain)]),
    );

    expect(plainAnswers.map((a) => a.status)).toEqual(Array(CONCURRENT).fill(202));
    expect(keyedAnswers.map((a) => a.status)).toEqual(Array(20).fill(202));
    for (let k = 0; k < 5; k++) {
      const forKey = keyedAnswers.slice(k * 4, k * 4 + 4);
      expect(new Set(forKey.map((a) => a.body.id)).size).toBe(1);
      forKey.forEach((a) => expect(a.body).toEqual(forKey[0]!.body));
    }
    const { ids, outboxKeys } = await stored();
    expect(ids).toHaveLength(CONCURRENT + 5);
    expect(outboxKeys).toEqual(ids);
  });

  it('with an Idempotency-Key reused for another body under concurrency, the other body answers 409 and writes nothing', async () => {
    const answers = await withInsertsHeld(() =>
      Promise.all([
        post(customer(1), 'shared'),
        post(customer(1), 'shared'),
        ...Array.from({ length: 10 }, (_, i) => post(customer(10 + i))),
      ]),
    );
    const other = await post(customer(2), 'shared');

    expect(answers.map((a) => a.status)).toEqual(Array(12).fill(202));
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('idempotency_key_reused');
    expect((await stored()).ids).toHaveLength(11);
  });
});
