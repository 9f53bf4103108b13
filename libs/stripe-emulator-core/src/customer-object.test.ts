import { newCustomer, updateCustomer } from './customer-object';
import { parseSearchQuery } from './search-query';

describe('updateCustomer', () => {
  it('reports old values of changed keys, and added metadata keys as null', () => {
    const before = newCustomer({
      name: 'Old',
      email: 'a@example.com',
      metadata: { keep: '1', change: 'a', drop: 'x' },
    });
    const { next, previous } = updateCustomer(before, {
      name: 'New',
      email: 'a@example.com',
      metadata: { change: 'b', drop: '', added: 'y' },
    });
    expect(next.metadata).toEqual({ keep: '1', change: 'b', added: 'y' });
    expect(previous).toEqual({ name: 'Old', metadata: { change: 'a', drop: 'x', added: null } });
  });

  it('reports nothing when nothing changes', () => {
    const before = newCustomer({ name: 'Same' });
    expect(updateCustomer(before, { name: 'Same' }).previous).toEqual({});
  });
});

describe('parseSearchQuery', () => {
  const c = newCustomer({ name: 'Jenny Rosen', email: 'jenny@example.com', metadata: { internal_id: 'u-1' } });

  it.each([
    ["email:'jenny@example.com'", true],
    ["name:'Jenny Rosen' AND metadata['internal_id']:'u-1'", true],
    ["metadata['internal_id']:'u-2'", false],
    ["name~'jen'", true],
  ])('%s → %s', (query, matches) => {
    expect(parseSearchQuery(query)(c)).toBe(matches);
  });

  it('refuses clauses it does not support', () => {
    expect(() => parseSearchQuery('created>100')).toThrow(/Unsupported/);
  });
});
