import { PermanentError } from '@customer-sync/service-core';
import { isOutage, isPermanent } from './errors';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('isOutage', () => {
  it.each([
    ['a refused socket', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['PostgreSQL starting up', withCode('the database system is starting up', '57P03')],
    [
      'PostgreSQL shut down by an administrator',
      withCode('terminating connection due to administrator command', '57P01'),
    ],
    ['a connection exception', withCode('connection failure', '08006')],
    ['a deadlock', withCode('deadlock detected', '40P01')],
    [
      'a pool timeout',
      Object.assign(new Error('Knex: Timeout acquiring a connection. The pool is probably full.'), {
        name: 'KnexTimeoutError',
      }),
    ],
    ['a wrapped cause', new Error('write failed', { cause: withCode('read ECONNRESET', 'ECONNRESET') })],
  ])('is true for %s', (_, error) => {
    expect(isOutage(error)).toBe(true);
    expect(isPermanent(error)).toBe(false);
  });

  it.each([
    ['a data error', withCode('invalid byte sequence for encoding "UTF8": 0x00', '22021')],
    ['a permanent error', new PermanentError('bad input')],
    ['an unknown error', new Error('something odd')],
  ])('is false for %s', (_, error) => {
    expect(isOutage(error)).toBe(false);
  });
});

describe('isPermanent for PostgreSQL program limits', () => {
  it.each([
    ['an index row too large (54000)', withCode('index row size 400016 exceeds btree version 4 maximum 2704', '54000')],
    ['too many columns (54011)', withCode('tables can have at most 1600 columns', '54011')],
  ])('dead-letters %s at once: the same row fails the same way on every retry', (_, error) => {
    expect(isPermanent(error)).toBe(true);
    expect(isOutage(error)).toBe(false);
  });
});
