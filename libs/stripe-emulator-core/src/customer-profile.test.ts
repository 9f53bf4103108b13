import { newCustomer, updateCustomer } from './customer-object';
import { StripeApiError } from './stripe-errors';

const paris = { line1: '1 Rue de Rivoli', city: 'Paris', postal_code: '75001', country: 'FR' };
const fullParis = { ...paris, line2: null, state: null };

function refusal(fn: () => unknown): StripeApiError {
  try {
    fn();
  } catch (error) {
    if (error instanceof StripeApiError) return error;
    throw error;
  }
  throw new Error('expected a Stripe error');
}

describe('address', () => {
  it('is stored with all six keys, the ones not given as null', () => {
    expect(newCustomer({ address: paris }).address).toEqual(fullParis);
  });

  it('stores an empty sub-field as null', () => {
    expect(newCustomer({ address: { ...paris, line2: '' } }).address).toEqual(fullParis);
  });

  it('updates the sub-fields given, keeps the others, and reports only the changed ones as previous', () => {
    const before = newCustomer({ address: paris });
    const { next, previous } = updateCustomer(before, { address: { city: 'Lyon', line2: 'Apt 4' } });
    expect(next.address).toEqual({ ...fullParis, city: 'Lyon', line2: 'Apt 4' });
    expect(previous).toEqual({ address: { city: 'Paris', line2: null } });
  });

  it('is unset by an empty string; previous holds the whole old address', () => {
    const { next, previous } = updateCustomer(newCustomer({ address: paris }), { address: '' });
    expect(next.address).toBeNull();
    expect(previous).toEqual({ address: fullParis });
  });

  it('reports a null previous address when one is first set', () => {
    expect(updateCustomer(newCustomer({}), { address: paris }).previous).toEqual({ address: null });
  });

  it.each([
    ['an unknown sub-field', { address: { street: 'x' } }, 'parameter_unknown', 'address[street]'],
    ['a sub-field over 5000 characters', { address: { city: 'x'.repeat(5001) } }, 'parameter_invalid', 'address[city]'],
    ['a string instead of a hash', { address: 'Paris' }, 'parameter_invalid', 'address'],
  ])('refuses %s', (_name, params, code, param) => {
    expect(refusal(() => newCustomer(params))).toMatchObject({ status: 400, code, param });
  });
});

describe('shipping', () => {
  const shipping = { name: 'Jenny Rosen', phone: '+33123456789', address: paris };

  it('is stored as name, phone and a six-key address', () => {
    expect(newCustomer({ shipping }).shipping).toEqual({
      name: 'Jenny Rosen',
      phone: '+33123456789',
      address: fullParis,
    });
    expect(newCustomer({ shipping: { name: 'Jenny', address: {} } }).shipping).toEqual({
      name: 'Jenny',
      phone: null,
      address: { line1: null, line2: null, city: null, state: null, postal_code: null, country: null },
    });
  });

  it('is replaced as a whole, and previous holds only the changed nested keys', () => {
    const before = newCustomer({ shipping });
    const { next, previous } = updateCustomer(before, {
      shipping: { name: 'Jenny Rosen', address: { ...paris, city: 'Lyon' } },
    });
    expect(next.shipping).toEqual({ name: 'Jenny Rosen', phone: null, address: { ...fullParis, city: 'Lyon' } });
    expect(previous).toEqual({ shipping: { phone: '+33123456789', address: { city: 'Paris' } } });
  });

  it('is unset by an empty string', () => {
    const { next, previous } = updateCustomer(newCustomer({ shipping }), { shipping: '' });
    expect(next.shipping).toBeNull();
    expect(previous).toEqual({ shipping: { name: 'Jenny Rosen', phone: '+33123456789', address: fullParis } });
  });

  it.each([
    ['without a name', { shipping: { address: paris } }, 'parameter_missing', 'shipping[name]'],
    ['with an empty name', { shipping: { name: '', address: paris } }, 'parameter_missing', 'shipping[name]'],
    ['without an address', { shipping: { name: 'Jenny' } }, 'parameter_missing', 'shipping[address]'],
    [
      'with a parameter customers do not take',
      { shipping: { ...shipping, carrier: 'UPS' } },
      'parameter_unknown',
      'shipping[carrier]',
    ],
    [
      'with an unknown address sub-field',
      { shipping: { ...shipping, address: { zip: '1' } } },
      'parameter_unknown',
      'shipping[address][zip]',
    ],
  ])('is refused %s', (_name, params, code, param) => {
    expect(refusal(() => newCustomer(params))).toMatchObject({ status: 400, code, param });
  });
});

describe('preferred_locales', () => {
  it('is stored in order, replaced as a whole, and previous holds the whole old list', () => {
    const before = newCustomer({ preferred_locales: ['fr-FR', 'en'] });
    expect(before.preferred_locales).toEqual(['fr-FR', 'en']);
    const { next, previous } = updateCustomer(before, { preferred_locales: ['de'] });
    expect(next.preferred_locales).toEqual(['de']);
    expect(previous).toEqual({ preferred_locales: ['fr-FR', 'en'] });
  });

  it('is emptied by an empty string', () => {
    const { next, previous } = updateCustomer(newCustomer({ preferred_locales: ['fr'] }), { preferred_locales: '' });
    expect(next.preferred_locales).toEqual([]);
    expect(previous).toEqual({ preferred_locales: ['fr'] });
  });

  it('reads the indexed form a form body parser may give as an object', () => {
    expect(newCustomer({ preferred_locales: { 1: 'en', 0: 'fr' } }).preferred_locales).toEqual(['fr', 'en']);
  });

  it('refuses values that are not strings', () => {
    expect(refusal(() => newCustomer({ preferred_locales: [{ a: 'b' }] }))).toMatchObject({
      code: 'parameter_invalid',
      param: 'preferred_locales[0]',
    });
  });
});

describe('tax_exempt', () => {
  it('defaults to none, changes, and resets to none on an empty string', () => {
    const before = newCustomer({});
    expect(before.tax_exempt).toBe('none');
    const { next, previous } = updateCustomer(before, { tax_exempt: 'reverse' });
    expect(next.tax_exempt).toBe('reverse');
    expect(previous).toEqual({ tax_exempt: 'none' });
    expect(updateCustomer(next, { tax_exempt: '' }).next.tax_exempt).toBe('none');
  });

  it('refuses a value outside none, exempt and reverse', () => {
    expect(refusal(() => newCustomer({ tax_exempt: 'partial' }))).toMatchObject({
      code: 'parameter_invalid',
      param: 'tax_exempt',
    });
  });
});
