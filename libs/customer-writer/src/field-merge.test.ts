import type { CustomerProfile } from '@customer-sync/contracts';
import { changedKeysOf, mergeInbound, settlePending } from './field-merge';

const state = (fields: Partial<CustomerProfile>, metadata: Record<string, string> = {}) => ({
  fields: {
    name: null,
    email: null,
    phone: null,
    description: null,
    address: null,
    shipping: null,
    preferred_locales: [],
    tax_exempt: 'none',
    ...fields,
  },
  metadata,
});

describe('mergeInbound', () => {
  const row = {
    ...state({ name: 'Old', phone: '1', description: 'mine' }, { a: '1', b: 'ours' }),
    pending: { description: 2, 'metadata.b': 2 },
  };

  it('takes Stripe’s value of every field and key the pending write does not touch, and keeps the ones it does', () => {
    const incoming = state({ name: 'Dash', phone: '2', description: 'old desc' }, { a: '1', added: 'x' });
    const merged = mergeInbound({
      row,
      incoming,
      changed: new Set(['name', 'phone', 'metadata.added']),
      ownWrite: false,
    });
    expect(merged).toEqual({
      ...state({ name: 'Dash', phone: '2', description: 'mine' }, { a: '1', b: 'ours', added: 'x' }),
      conflicts: [],
      unsettled: ['description', 'metadata.b'],
    });
  });

  it('reports a pending field Stripe changed as a conflict', () => {
    const merged = mergeInbound({
      row,
      incoming: state({ description: 'dash' }),
      changed: new Set(['description', 'metadata.b']),
      ownWrite: false,
    });
    expect(merged.conflicts).toEqual(['description', 'metadata.b']);
    expect(merged.fields.description).toBe('mine');
  });

  it('never reports our own echo as a conflict', () => {
    expect(
      mergeInbound({
        row,
        incoming: state({ description: 'older of ours' }),
        changed: new Set(['description']),
        ownWrite: true,
      }).conflicts,
    ).toEqual([]);
  });

  it('leaves unsettled a pending key that keeps our value against Stripe’s, even in our own echo or when previous_attributes does not name it (issue 9)', () => {
    // The echo of a later write of ours carries a rename made in Stripe after an earlier write of ours: only a refetch can tell.
    const echo = mergeInbound({
      row,
      incoming: state({ description: 'renamed in Stripe' }, { b: 'ours' }),
      changed: new Set(['metadata.b']),
      ownWrite: true,
    });
    expect(echo).toMatchObject({ conflicts: [], unsettled: ['description'] });
    expect(echo.fields.description).toBe('mine');
    const otherField = mergeInbound({
      row,
      incoming: state({ description: 'renamed in Stripe', phone: '9' }, { b: 'ours' }),
      changed: new Set(['phone']),
      ownWrite: false,
    });
    expect(otherField).toMatchObject({ conflicts: [], unsettled: ['description'] });
  });

  it('leaves settled a pending key whose value Stripe already holds', () => {
    expect(
      mergeInbound({
        row,
        incoming: state({ description: 'mine' }, { b: 'ours' }),
        changed: new Set(),
        ownWrite: true,
      }),
    ).toMatchObject({ conflicts: [], unsettled: [] });
  });

  it('without previous_attributes, a differing pending value is a conflict', () => {
    expect(
      mergeInbound({ row, incoming: state({ description: 'other' }, { b: 'ours' }), ownWrite: false }).conflicts,
    ).toEqual(['description']);
  });

  it('with nothing pending, the row becomes Stripe’s state', () => {
    const incoming = state({ name: 'S' }, { z: '1' });
    expect(mergeInbound({ row: { ...row, pending: {} }, incoming, ownWrite: false })).toEqual({
      ...incoming,
      conflicts: [],
      unsettled: [],
    });
  });
});

describe('mergeInbound of the nested profile fields', () => {
  const paris = { city: 'Paris', country: 'FR', line1: '1 Rue', line2: null, postal_code: '75001', state: null };
  const row = {
    ...state({ address: { ...paris, city: 'Nice' }, shipping: { name: 'A', phone: null, address: paris } }),
    pending: { address: 3 },
  };

  it('keeps a pending address and takes Stripe’s shipping, a whole field each', () => {
    const incoming = state({ address: paris, shipping: { name: 'A', phone: '+33', address: paris } });
    const merged = mergeInbound({ row, incoming, changed: new Set(['shipping']), ownWrite: false });
    expect(merged.fields).toMatchObject({
      address: { ...paris, city: 'Nice' },
      shipping: { name: 'A', phone: '+33', address: paris },
    });
    expect(merged.conflicts).toEqual([]);
  });

  it('without previous_attributes, an equal address in another key order is no conflict', () => {
    const reordered = { state: null, postal_code: '75001', line2: null, line1: '1 Rue', country: 'FR', city: 'Nice' };
    expect(mergeInbound({ row, incoming: state({ address: reordered }), ownWrite: false }).conflicts).toEqual([]);
  });
});

describe('changedKeysOf the profile', () => {
  it('names a nested field once, whatever part of it changed', () => {
    expect(
      changedKeysOf({ address: { city: 'Paris' }, shipping: { address: { line1: null } }, preferred_locales: [] }),
    ).toEqual(new Set(['address', 'shipping', 'preferred_locales']));
  });
});

describe('changedKeysOf', () => {
  it('reads fields and metadata keys from previous_attributes', () => {
    expect(changedKeysOf({ name: 'x', metadata: { k: null }, balance: 1 })).toEqual(new Set(['name', 'metadata.k']));
    expect(changedKeysOf(undefined)).toBeUndefined();
  });
});

describe('settlePending', () => {
  it('drops the writes a result of that version answered', () => {
    expect(settlePending({ name: 2, 'metadata.a': 3 }, 2)).toEqual({ 'metadata.a': 3 });
  });
});
