import { internalIdOf, snapshotOf } from './customer-snapshot';

describe('snapshotOf', () => {
  it('keeps our fields, lower-cases the email and leaves the link key out of metadata', () => {
    const customer = { id: 'cus_1', object: 'customer' as const, name: 'Ann', email: 'Ann@Example.com', metadata: { internal_id: 'u-1', plan: 'pro' } };
    expect(snapshotOf(customer)).toEqual({
      stripeCustomerId: 'cus_1',
      name: 'Ann',
      email: 'ann@example.com',
      phone: null,
      description: null,
      metadata: { plan: 'pro' },
      address: null,
      shipping: null,
      preferred_locales: [],
      tax_exempt: null,
    });
    expect(internalIdOf(customer)).toBe('u-1');
  });

  it('reads a deletion stub as empty fields', () => {
    expect(snapshotOf({ id: 'cus_2', object: 'customer', deleted: true })).toMatchObject({ stripeCustomerId: 'cus_2', name: null, metadata: {} });
  });
});
