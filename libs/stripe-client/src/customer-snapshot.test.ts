import { linkClaimOf, snapshotOf } from './customer-snapshot';

const ROW = '6f1d0a55-8f0e-4b3e-9a53-0e6b8f1c2d3e';

describe('snapshotOf', () => {
  it('keeps our fields and the email’s casing, and leaves the link key out of metadata', () => {
    const customer = { id: 'cus_1', object: 'customer' as const, name: 'Ann', email: 'Ann@Example.com', metadata: { customer_sync_id: ROW, plan: 'pro' } };
    expect(snapshotOf(customer)).toEqual({ stripeCustomerId: 'cus_1', name: 'Ann', email: 'Ann@Example.com', phone: null, description: null, metadata: { plan: 'pro' } });
    expect(linkClaimOf(customer)).toBe(ROW);
  });

  it('hides the legacy internal_id only when it names the linked row; another tool’s value is user metadata', () => {
    const customer = { id: 'cus_1', object: 'customer' as const, metadata: { internal_id: ROW } };
    expect(snapshotOf(customer, ROW).metadata).toEqual({});
    expect(snapshotOf({ ...customer, metadata: { internal_id: 'tool-42' } }, ROW).metadata).toEqual({ internal_id: 'tool-42' });
    expect(linkClaimOf({ ...customer, metadata: { internal_id: 'tool-42' } })).toBeUndefined();
  });

  it('reads a deletion stub as empty fields', () => {
    expect(snapshotOf({ id: 'cus_2', object: 'customer', deleted: true })).toMatchObject({ stripeCustomerId: 'cus_2', name: null, metadata: {} });
  });
});
