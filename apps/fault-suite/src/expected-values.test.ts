import type { CustomerValues } from './customer-values';
import { expectedValues } from './expected-values';
import type { TrackedCustomer } from './ledger';
import type { StripeLogEntry } from './state-reader';

const values = (name: string): CustomerValues => ({ name, email: `${name.replace(/ /g, '.')}@x.example`, phone: null, description: null, metadata: { plan: 'pro' } });
const worker = (id: string, name: string, type = 'customer.updated'): StripeLogEntry => ({ eventId: id, type, stripeId: 'cus_1', idempotencyKey: `customer-sync:${id}:x`, values: values(name) });
const edit = (id: string, name: string, key: string): StripeLogEntry => ({ eventId: id, type: 'customer.updated', stripeId: 'cus_1', idempotencyKey: key, values: values(name) });

function customer(apiNames: string[], stripeEdits: Array<[string, string]> = []): TrackedCustomer {
  return {
    handle: 'a1',
    origin: 'api',
    rowId: 'row-1',
    apiWrites: apiNames.map((name, i) => ({ kind: i === 0 ? 'create' : 'update', ackAt: i * 1000, values: values(name) })),
    stripeWrites: stripeEdits.map(([name, key], i) => ({ kind: 'update', ackAt: 10_000 + i, idempotencyKey: key, values: values(name) })),
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
    const result = expectedValues(customer(['v1'], [['e1', 'fault-suite:1:a1:1']]), [worker('e1', 'v1', 'customer.created'), edit('e2', 'e1', 'fault-suite:1:a1:1')]);
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
    const result = expectedValues(customer(['v1', 'v2']), [worker('e1', 'v1', 'customer.created'), worker('e2', 'v2'), worker('e3', 'v1')]);
    expect(result?.problems).toEqual([expect.stringContaining('an older API write was applied')]);
  });

  it('for a customer only ever written in Stripe, expects its last Stripe-side write and flags a worker write as an echo', () => {
    const c: TrackedCustomer = { ...customer([], [['e1', 'fault-suite:1:s1:0']]), origin: 'stripe' };
    expect(expectedValues(c, [edit('e1', 'e1', 'fault-suite:1:s1:0')])).toMatchObject({ values: values('e1'), problems: [] });
    expect(expectedValues(c, [edit('e1', 'e1', 'fault-suite:1:s1:0'), worker('e2', 'e1')])?.problems).toEqual([expect.stringContaining('echo')]);
  });
});
