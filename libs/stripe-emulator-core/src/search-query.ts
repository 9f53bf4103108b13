import type { CustomerObject } from './customer-object';
import { invalidParam } from './stripe-errors';

type Clause = (c: CustomerObject) => boolean;

// field:'value' | field~'value' (substring) | metadata['key']:'value', joined by AND
const CLAUSE =
  /^\s*(email|name|phone|description|metadata\['([^']+)'\]|metadata\["([^"]+)"\])\s*([:~])\s*(['"])(.*)\5\s*$/;

/** Parses the subset of Stripe's search query language the emulator supports. */
export function parseSearchQuery(query: string): Clause {
  if (!query.trim()) throw invalidParam('query', 'The query is empty');
  const clauses = query.split(/\s+AND\s+/).map((part): Clause => {
    const match = CLAUSE.exec(part);
    if (!match) throw invalidParam('query', `Unsupported search clause: ${part.trim()}`);
    const [, field, metaKey1, metaKey2, op, , value] = match;
    const metaKey = metaKey1 ?? metaKey2;
    const read = (c: CustomerObject) =>
      metaKey ? c.metadata[metaKey] : (c[field as 'email' | 'name' | 'phone' | 'description'] ?? undefined);
    return op === '~'
      ? (c) => (read(c) ?? '').toLowerCase().includes(value!.toLowerCase())
      : (c) => (read(c) ?? '').toLowerCase() === value!.toLowerCase();
  });
  return (c) => clauses.every((clause) => clause(c));
}
