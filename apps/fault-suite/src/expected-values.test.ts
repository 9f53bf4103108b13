import type { CustomerValues } from './customer-values';
import { expectationDiff, expectedValues } from './expected-values';
import type { TrackedCustomer } from './ledger';
import type { StripeLogEntry } from './state-reader';

const values = (name: string): CustomerValues => ({
  name,
  email: `${name.replace(/ /g, '.')}@x.example`,
  phone: null,
  description: null,
  metadata: { plan: 'pro' },
});
const worker = (id: string, name: string, type = 'customer.updated'): StripeLogEntry => ({
  eventId: id,
  type,
  stripeId: 'cus_1',
  idempotencyKey: `customer-sync:${id}:x`,
  values: values(name),
});
const edit = (id: string, name: string, key: string): StripeLogEntry => ({
  eventId: id,
  type: 'customer.updated',
  stripeId: 'cus_1',
  idempotencyKey: key,
  values: values(name),
});

function customer(apiNames: string[], stripeEdits: Array<[string, string]> = []): TrackedCustomer {
  return {
    handle: 'a1',
    origin: 'api',
    rowId: 'row-1',
    apiWrites: apiNames.map((name, i) => ({
      kind: i === 0 ? 'create' : 'update',
      ackAt: i * 1000,
      values: values(name),
    })),
    stripeWrites: stripeEdits.map(([name, key], i) => ({
      kind: 'update',
      ackAt: 10_000 + i,
      idempotencyKey: key,
      values: values(name),
    })),
    ambiguous: false,
  };
}

describe('expectedValues (the acknowledged-values model)', () => {
  it('when the worker wrote every API write in order, expects the last 202 body and sees no problem', () => {
    const result = expectedValues(customer(['v1', 'v2']), [worker('e1', 'v1', 'customer.created'), worker('e2', 'v2')]);
    expect(result).toMatchObject({ values: values('v2'), problems: [] });
  });

  it('when the last acknowledged API write never reached Stripe, says so', () => {
    const result = expectedValues(customer(['v1', 'v2']), [worker('e1', 'v1', 'customer.created')]);
    expect(result?.values).toEqual(values('v2'));
    expect(result?.problems).toEqual([expect.stringContaining('never reached Stripe')]);
  });

  it('when a Stripe-side edit came after the last API write in Stripe, expects the edit', () => {
    const result = expectedValues(customer(['v1'], [['e1', 'fault-suite:1:a1:1']]), [
      worker('e1', 'v1', 'customer.created'),
      edit('e2', 'e1', 'fault-suite:1:a1:1'),
    ]);
    expect(result).toMatchObject({ values: values('e1'), problems: [] });
  });

  it('when a Stripe-side edit came before the API write reached Stripe, expects the API write', () => {
    const result = expectedValues(customer(['v1', 'v2'], [['e1', 'fault-suite:1:a1:2']]), [
      worker('e1', 'v1', 'customer.created'),
      edit('e2', 'e1', 'fault-suite:1:a1:2'),
      worker('e3', 'v2'),
    ]);
    expect(result).toMatchObject({ values: values('v2'), problems: [] });
  });

  it('when an older API write is applied after the last one, names it', () => {
    const result = expectedValues(customer(['v1', 'v2']), [
      worker('e1', 'v1', 'customer.created'),
      worker('e2', 'v2'),
      worker('e3', 'v1'),
    ]);
    expect(result?.problems).toEqual([expect.stringContaining('an older API write was applied')]);
  });

  it('for a customer only ever written in Stripe, expects its last Stripe-side write and flags a worker write as an echo', () => {
    const c: TrackedCustomer = { ...customer([], [['e1', 'fault-suite:1:s1:0']]), origin: 'stripe' };
    expect(expectedValues(c, [edit('e1', 'e1', 'fault-suite:1:s1:0')])).toMatchObject({
      values: values('e1'),
      problems: [],
    });
    expect(expectedValues(c, [edit('e1', 'e1', 'fault-suite:1:s1:0'), worker('e2', 'e1')])?.problems).toEqual([
      expect.stringContaining('echo'),
    ]);
  });

  it('field by field: a Stripe-side edit of fields the later API write did not set survives it, and a re-sent unchanged metadata value may lose to the edit', () => {
    const v1: CustomerValues = {
      name: 'API a v1',
      email: 'a@x.example',
      phone: '+1555',
      description: 'd1',
      metadata: { plan: 'pro' },
    };
    const v2: CustomerValues = { ...v1, name: 'API a v2', email: 'a2@x.example' };
    const e2: CustomerValues = { ...v1, name: 'Stripe a e2', phone: '+1666', metadata: { plan: 'free' } };
    const c: TrackedCustomer = {
      handle: 'a',
      origin: 'api',
      apiWrites: [
        {
          kind: 'create',
          ackAt: 1,
          values: v1,
          input: {
            name: v1.name!,
            email: v1.email!,
            phone: v1.phone,
            description: v1.description,
            metadata: v1.metadata,
          },
        },
        {
          kind: 'update',
          ackAt: 3,
          values: v2,
          input: { name: v2.name!, email: v2.email!, metadata: { plan: 'pro' } },
        },
      ],
      stripeWrites: [
        {
          kind: 'update',
          ackAt: 2,
          idempotencyKey: 'fault-suite:1:a:2',
          values: e2,
          input: { name: e2.name!, phone: '+1666', metadata: { plan: 'free' } },
        },
      ],
      ambiguous: false,
    };
    const log: StripeLogEntry[] = [
      {
        eventId: 'e1',
        type: 'customer.created',
        stripeId: 'cus_1',
        idempotencyKey: 'customer-sync:1:create',
        values: v1,
      },
      { eventId: 'e2', type: 'customer.updated', stripeId: 'cus_1', idempotencyKey: 'fault-suite:1:a:2', values: e2 },
      {
        eventId: 'e3',
        type: 'customer.updated',
        stripeId: 'cus_1',
        idempotencyKey: 'customer-sync:2:update',
        values: { ...e2, name: v2.name, email: v2.email },
      },
    ];
    const expectation = expectedValues(c, log)!;
    expect(expectation.problems).toEqual([]);
    expect(expectationDiff(expectation, { ...e2, name: v2.name, email: v2.email })).toEqual([]);
    expect(expectationDiff(expectation, { ...e2, name: v2.name, email: v2.email, metadata: { plan: 'pro' } })).toEqual(
      [],
    );
    expect(expectationDiff(expectation, { ...v2 })).toEqual([expect.stringContaining('phone')]);
  });
});
