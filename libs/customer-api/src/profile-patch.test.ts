import {
  AddressInput,
  ShippingPatch,
  type AddressValue,
  type ProfileValues,
  type ShippingValue,
} from '@customer-sync/contracts';
import { profileOfCreate, profilePatchOf } from './profile-patch';

const paris: AddressValue = {
  city: 'Paris',
  country: 'FR',
  line1: '1 Rue de Rivoli',
  line2: null,
  postal_code: '75001',
  state: null,
};
const shipping: ShippingValue = { name: 'Jenny Rosen', phone: '+33123456789', address: paris };
const current: ProfileValues = { address: paris, shipping, preferred_locales: ['fr'], tax_exempt: 'none' };
const address = (input: unknown) => AddressInput.parse(input);
const ship = (input: unknown) => ShippingPatch.parse(input);

describe('profileOfCreate', () => {
  it('fills parts left out with null and defaults to no locales and tax_exempt none', () => {
    expect(profileOfCreate({ address: address({ city: 'Paris', postalCode: '75001' }) })).toEqual({
      address: { city: 'Paris', country: null, line1: null, line2: null, postal_code: '75001', state: null },
      shipping: null,
      preferred_locales: [],
      tax_exempt: 'none',
    });
  });

  it('takes shipping, locales and tax exemption as given', () => {
    const profile = profileOfCreate({
      shipping: { name: 'Jenny', phone: null, address: address({ line1: 'x' }) },
      preferredLocales: ['de', 'en'],
      taxExempt: 'reverse',
    });
    expect(profile.shipping).toEqual({
      name: 'Jenny',
      phone: null,
      address: { city: null, country: null, line1: 'x', line2: null, postal_code: null, state: null },
    });
    expect(profile).toMatchObject({ preferred_locales: ['de', 'en'], tax_exempt: 'reverse' });
  });
});

describe('profilePatchOf', () => {
  it('writes nothing for fields the PATCH leaves out', () => {
    expect(profilePatchOf(current, {})).toEqual({});
  });

  it('changes only the address parts given; null clears a part; others keep their value', () => {
    expect(profilePatchOf(current, { address: address({ city: 'Lyon', postalCode: null, line2: 'Apt 4' }) })).toEqual({
      address: { ...paris, city: 'Lyon', postal_code: null, line2: 'Apt 4' },
    });
  });

  it('starts from an empty address when the customer has none', () => {
    expect(profilePatchOf({ ...current, address: null }, { address: address({ country: 'DE' }) })).toEqual({
      address: { city: null, country: 'DE', line1: null, line2: null, postal_code: null, state: null },
    });
  });

  it('removes the address or the shipping with null', () => {
    expect(profilePatchOf(current, { address: null, shipping: null })).toEqual({ address: null, shipping: null });
  });

  it('merges shipping down to its address parts', () => {
    expect(profilePatchOf(current, { shipping: ship({ phone: null, address: { city: 'Lyon' } }) })).toEqual({
      shipping: { name: 'Jenny Rosen', phone: null, address: { ...paris, city: 'Lyon' } },
    });
  });

  it('refuses shipping without a name for a customer that has none, naming the field', () => {
    expect(() =>
      profilePatchOf({ ...current, shipping: null }, { shipping: ship({ address: { city: 'Lyon' } }) }),
    ).toThrow(
      expect.objectContaining({
        status: 400,
        details: [{ path: 'body.shipping.name', message: expect.stringMatching(/required/) }],
      }),
    );
  });

  it('replaces preferred locales whole and sets tax exemption', () => {
    expect(profilePatchOf(current, { preferredLocales: [], taxExempt: 'exempt' })).toEqual({
      preferred_locales: [],
      tax_exempt: 'exempt',
    });
  });
});
