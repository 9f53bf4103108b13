import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES_DIR } from '@customer-sync/testing';
import { CustomerRequested, EnvelopeParseError, makeEnvelope, parseEnvelope, StripeEvent } from './index';

const fixtures = FIXTURES_DIR;

const validRequest = makeEnvelope(
  'customer.requested',
  {
    action: 'create',
    customerId: '6f1d0a55-8f0e-4b3e-9a53-0e6b8f1c2d3e',
    version: 1,
    stripeCustomerId: null,
    changes: {
      fields: { name: 'Jenny Rosen', email: 'jenny@example.com', phone: null, description: null },
      metadata: { set: {}, unset: [] },
    },
  },
  { correlationId: 'req-1' },
);

describe('parseEnvelope', () => {
  it('accepts a valid customer.requested message', () => {
    const parsed = parseEnvelope(CustomerRequested, JSON.stringify(validRequest));
    expect(parsed.payload.customerId).toBe(validRequest.payload.customerId);
    expect(parsed.schemaVersion).toBe(1);
  });

  it.each([
    ['not JSON', 'not json', /not JSON/],
    ['no value', null, /no value/],
    ['wrong type', JSON.stringify({ ...validRequest, type: 'customer.other' }), /type/],
    ['unknown schema version', JSON.stringify({ ...validRequest, schemaVersion: 2 }), /schemaVersion/],
    [
      'bad customer id',
      JSON.stringify({ ...validRequest, payload: { ...validRequest.payload, customerId: 'x' } }),
      /payload.customerId/,
    ],
  ])('rejects %s with a readable reason', (_name, value, reason) => {
    expect(() => parseEnvelope(CustomerRequested, value)).toThrow(EnvelopeParseError);
    expect(() => parseEnvelope(CustomerRequested, value)).toThrow(reason);
  });
});

describe('customer.requested written before issue 9', () => {
  it('reads a whole-record command as changes of every field', () => {
    const { changes: _changes, ...rest } = validRequest.payload;
    const legacy = {
      ...validRequest,
      payload: {
        ...rest,
        customer: { name: 'A', email: 'a@example.com', phone: null, description: null, metadata: { k: 'v' } },
        unsetMetadataKeys: ['gone'],
      },
    };
    expect(parseEnvelope(CustomerRequested, JSON.stringify(legacy)).payload.changes).toEqual({
      fields: { name: 'A', email: 'a@example.com', phone: null, description: null },
      metadata: { set: { k: 'v' }, unset: ['gone'] },
    });
  });
});

describe('StripeEvent', () => {
  it('accepts the recorded customer.created fixture', () => {
    const event = JSON.parse(readFileSync(join(fixtures, 'event.customer.created.json'), 'utf8'));
    const parsed = StripeEvent.parse(event);
    expect(parsed.type).toBe('customer.created');
    expect(parsed.data.object.id).toBe('cus_Sq4VhK2mZt8LcR');
  });

  it('rejects JSON that is not an event', () => {
    expect(StripeEvent.safeParse({ id: 'cus_1', object: 'customer' }).success).toBe(false);
  });
});
