import { linkClaimOf, snapshotOf } from './customer-snapshot';

const ROW = '6f1d0a55-8f0e-4b3e-9a53-0e6b8f1c2d3e';

describe('snapshotOf', () => {
  it('keeps our fields and the email’s casing, and leaves the link key out of metadata', () => {
    const customer = {
      id: 'cus_1',
      object: 'customer' as const,
      name: 'Ann',
      email: 'Ann@Example.com',
      metadata: { customer_sync_id: ROW, plan: 'pro' },
    };
    expect(snapshotOf(customer)).toEqual({
      stripeCustomerId: 'cus_1',
      name: 'Ann',
      email: 'Ann@Example.com',
      phone: null,
      description: null,
      metadata: { plan: 'pro' },
      address: null,
      shipping: null,
      preferred_locales: [],
      tax_exempt: null,
    });
    expect(linkClaimOf(customer)).toBe(ROW);
  });

  it('hides the legacy internal_id only when it names the linked row; another tool’s value is user metadata', () => {
    const customer = { id: 'cus_1', object: 'customer' as const, metadata: { internal_id: ROW } };
    expect(snapshotOf(customer, ROW).metadata).toEqual({});
    expect(snapshotOf({ ...customer, metadata: { internal_id: 'tool-42' } }, ROW).metadata).toEqual({
      internal_id: 'tool-42',
    });
    expect(linkClaimOf({ ...customer, metadata: { internal_id: 'tool-42' } })).toBeUndefined();
  });

  it('reads a deletion stub as empty fields', () => {
    expect(snapshotOf({ id: 'cus_2', object: 'customer', deleted: true })).toMatchObject({
      stripeCustomerId: 'cus_2',
      name: null,
      metadata: {},
    });
  });

  it("reads the profile in Stripe's shape, missing address parts as null and null locales as none", () => {
    const customer = {
      id: 'cus_3',
      object: 'customer' as const,
      address: { city: 'Paris' },
      shipping: { name: 'Ann', address: { country: 'FR' } },
      preferred_locales: null,
      tax_exempt: 'reverse',
    };
    const empty = { city: null, country: null, line1: null, line2: null, postal_code: null, state: null };
    expect(snapshotOf(customer as never)).toMatchObject({
      address: { ...empty, city: 'Paris' },
      shipping: { name: 'Ann', phone: null, address: { ...empty, country: 'FR' } },
      preferred_locales: [],
      tax_exempt: 'reverse',
    });
  });
});
