import { stripeParams } from './stripe-params';

const ID = '6f1d0a55-8f0e-4b3e-9a53-0e6b8f1c2d3e';

describe('stripeParams', () => {
  it('sends only the changed fields and keys, "" for a cleared field or a removed key, and no link key on an update', () => {
    const params = stripeParams(
      { fields: { description: 'x', phone: null }, metadata: { set: { b: '2' }, unset: ['old'] } },
      ID,
      { create: false },
    );
    expect(params).toEqual({ description: 'x', phone: '', metadata: { b: '2', old: '' } });
    expect(stripeParams({ fields: { name: 'n' }, metadata: { set: {}, unset: [] } }, ID, { create: false })).toEqual({
      name: 'n',
    });
  });

  it('on create, leaves empty fields out and writes the link key', () => {
    const params = stripeParams(
      {
        fields: { name: 'A', email: 'a@example.com', phone: null, description: null },
        metadata: { set: {}, unset: [] },
      },
      ID,
      { create: true },
    );
    expect(params).toEqual({ name: 'A', email: 'a@example.com', metadata: { customer_sync_id: ID } });
  });

  it('unsets the profile with "": no address or shipping, and an empty locale list (the SDK sends nothing for [])', () => {
    const params = stripeParams(
      {
        fields: { address: null, shipping: null, preferred_locales: [], tax_exempt: null },
        metadata: { set: {}, unset: [] },
      },
      ID,
      { create: false },
    );
    expect(params).toEqual({ address: '', shipping: '', preferred_locales: '', tax_exempt: '' });
  });

  it('sends a whole address, every part, so Stripe ends equal whether it merges or replaces the hash', () => {
    const address = { city: 'Lyon', country: 'FR', line1: '1 Rue', line2: null, postal_code: null, state: null };
    const params = stripeParams(
      { fields: { address, preferred_locales: ['fr'] }, metadata: { set: {}, unset: [] } },
      ID,
      { create: false },
    );
    expect(params).toMatchObject({ address, preferred_locales: ['fr'] });
  });

  it('on create, leaves an empty locale list out', () => {
    const params = stripeParams(
      { fields: { name: 'A', preferred_locales: [] }, metadata: { set: {}, unset: [] } },
      ID,
      { create: true },
    );
    expect(params).toEqual({ name: 'A', metadata: { customer_sync_id: ID } });
  });
});
