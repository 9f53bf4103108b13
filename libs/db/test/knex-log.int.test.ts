import { Writable } from 'node:stream';
import winston from 'winston';
import { createTestDatabase, type TestDatabase } from '@customer-sync/testing';
import { createDb, type Db } from '../src';

describe('knex log hooks', () => {
  let database: TestDatabase;
  let db: Db;
  const lines: string[] = [];
  beforeAll(async () => {
    database = await createTestDatabase();
    const stream = new Writable({ write: (chunk, _enc, done) => void (lines.push(String(chunk)), done()) });
    const logger = winston.createLogger({
      format: winston.format.json(),
      transports: [new winston.transports.Stream({ stream })],
    });
    db = createDb({ url: database.url, logger });
  });
  afterAll(async () => {
    await db.destroy();
    await database.drop();
  });

  it('when knex warns, the warning is a JSON line of the service logger, not console text', async () => {
    await db('customers').select('id').limit(Number.NaN);

    const warnings = lines.map((l) => JSON.parse(l)).filter((entry) => entry.message.startsWith('knex:'));
    expect(warnings).toEqual([
      expect.objectContaining({ level: 'warn', message: 'knex: A valid integer must be provided to limit' }),
    ]);
  });
});
