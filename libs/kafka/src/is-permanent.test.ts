import { z } from 'zod';
import { EnvelopeParseError } from '@customer-sync/contracts';
import { PermanentError } from '@customer-sync/service-core';
import { isPermanent, isTooLarge, MessageTooLargeError } from './errors';

describe('isPermanent', () => {
  it('treats PermanentError and envelope parse errors as permanent, anything else as transient', () => {
    const parseError = new EnvelopeParseError('bad', []);
    expect(isPermanent(new PermanentError('no'))).toBe(true);
    expect(isPermanent(parseError)).toBe(true);
    expect(isPermanent(new Error('ECONNRESET'))).toBe(false);
  });
});

describe('isPermanent, by kind', () => {
  const sqlError = (code: string) => Object.assign(new Error(`sql ${code}`), { code });
  const wrapped = (cause: unknown) => Object.assign(new Error('KafkaJSNonRetriableError'), { cause });

  it.each([
    ['value too long for a column (22001)', sqlError('22001'), true],
    ['invalid text representation (22P02)', sqlError('22P02'), true],
    ['not-null violation (23502)', sqlError('23502'), true],
    ['check violation (23514)', sqlError('23514'), true],
    ['a unique-key race (23505)', sqlError('23505'), false],
    ['a schema violation', new z.ZodError([]), true],
    ['our size refusal', new MessageTooLargeError('t', 2, 1), true],
    [
      'the broker refusing the size',
      wrapped(Object.assign(new Error('too large'), { type: 'MESSAGE_TOO_LARGE' })),
      true,
    ],
    ['a deadlock (40P01)', sqlError('40P01'), false],
    ['a serialization failure (40001)', sqlError('40001'), false],
    ['a lock timeout (55P03)', sqlError('55P03'), false],
    ['the connection going away (08006)', sqlError('08006'), false],
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), false],
    ['Kafka unavailable', wrapped(Object.assign(new Error('not leader'), { type: 'NOT_LEADER_FOR_PARTITION' })), false],
  ])('%s → permanent %s', (_, error, permanent) => {
    expect(isPermanent(error)).toBe(permanent);
  });

  it('recognises size refusals, ours and the broker’s', () => {
    expect(isTooLarge(new MessageTooLargeError('t', 2, 1))).toBe(true);
    expect(isTooLarge(wrapped(Object.assign(new Error('x'), { type: 'RECORD_LIST_TOO_LARGE' })))).toBe(true);
    expect(isTooLarge(new Error('ECONNRESET'))).toBe(false);
  });
});
