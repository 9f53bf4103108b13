import { gzipSync } from 'node:zlib';

/** One hostile request and the answer the README documents for it. `:id` is a stored customer's id. */
export interface HostileCase {
  name: string;
  method: string;
  path: string;
  /** A JSON value (serialised here) or raw text/bytes sent as they are. */
  body?: unknown;
  raw?: string | Buffer;
  headers?: Record<string, string>;
  /** Sent without the valid Authorization header. */
  noAuth?: boolean;
  status: number;
  code: string;
}

const ok = { name: 'Jenny Rosen', email: 'jenny@example.com' };
const keys = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v']));
const b64 = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const VALID_UUID = '6f1d0a55-8f0e-4b3e-9a53-0e6b8f1c2d3e';
const invalid = (name: string, body: unknown, extra: Partial<HostileCase> = {}): HostileCase => ({
  name,
  method: 'POST',
  path: '/customers',
  body,
  status: 400,
  code: 'validation_failed',
  ...extra,
});
const patch = (name: string, body: unknown, extra: Partial<HostileCase> = {}): HostileCase =>
  invalid(name, body, { method: 'PATCH', path: '/customers/:id', ...extra });
const badCursor = (name: string, cursor: string): HostileCase => ({
  name: `cursor: ${name}`,
  method: 'GET',
  path: `/customers?cursor=${encodeURIComponent(cursor)}`,
  status: 400,
  code: 'validation_failed',
});
/** A JSON text with a raw escape in it (JSON.stringify would write a lone surrogate as an escape anyway). */
const rawJson = (name: string, text: string, extra: Partial<HostileCase> = {}) =>
  invalid(name, undefined, { raw: text, ...extra });

/** Class 1: text PostgreSQL cannot hold, in every string field, on POST and PATCH, with and without Idempotency-Key. */
const unstorableText: HostileCase[] = [
  invalid('U+0000 in name', { ...ok, name: 'a\u0000b' }),
  invalid('U+0000 in email', { ...ok, email: 'a\u0000@example.com' }),
  invalid('U+0000 in phone', { ...ok, phone: '+1555\u00000123' }),
  invalid('U+0000 in description', { ...ok, description: 'x\u0000' }),
  invalid('U+0000 in a metadata key', { ...ok, metadata: { 'k\u0000': 'v' } }),
  invalid('U+0000 in a metadata value', { ...ok, metadata: { k: '\u0000' } }),
  invalid(
    'U+0000 in name with an Idempotency-Key',
    { ...ok, name: '\u0000' },
    { headers: { 'idempotency-key': 'hostile-nul-1' } },
  ),
  rawJson('an unpaired high surrogate in name', '{"name":"\\ud800","email":"jenny@example.com"}'),
  rawJson(
    'an unpaired low surrogate in description',
    '{"name":"A","email":"jenny@example.com","description":"x\\udc00"}',
  ),
  rawJson(
    'an unpaired surrogate in a metadata key',
    '{"name":"A","email":"jenny@example.com","metadata":{"\\ud83d":"v"}}',
  ),
  rawJson(
    'an unpaired surrogate in a metadata value',
    '{"name":"A","email":"jenny@example.com","metadata":{"k":"\\udfff"}}',
  ),
  rawJson('an unpaired surrogate with an Idempotency-Key', '{"name":"\\ud800","email":"jenny@example.com"}', {
    headers: { 'idempotency-key': 'hostile-surrogate-1' },
  }),
  patch('PATCH: U+0000 in name', { name: '\u0000' }),
  patch('PATCH: U+0000 in a metadata value', { metadata: { k: 'a\u0000' } }),
  patch(
    'PATCH: U+0000 in description with an Idempotency-Key',
    { description: '\u0000' },
    { headers: { 'idempotency-key': 'hostile-nul-2' } },
  ),
  rawJson('PATCH: an unpaired surrogate in name', '{"name":"\\ud800"}', { method: 'PATCH', path: '/customers/:id' }),
  rawJson('PATCH: an unpaired surrogate in phone', '{"phone":"+1\\udbff5550123"}', {
    method: 'PATCH',
    path: '/customers/:id',
  }),
];

/** Class 2: errors the parsers raise themselves. */
const parserErrors: HostileCase[] = [
  {
    name: 'a malformed percent escape in the path',
    method: 'GET',
    path: '/customers/%ZZ',
    status: 400,
    code: 'bad_request',
  },
  {
    name: 'a malformed percent escape on PATCH',
    method: 'PATCH',
    path: '/customers/%E0%A4%A',
    body: { name: 'A' },
    status: 400,
    code: 'bad_request',
  },
  {
    name: 'gzip that is not gzip',
    method: 'POST',
    path: '/customers',
    raw: 'this is not gzip',
    headers: { 'content-encoding': 'gzip' },
    status: 400,
    code: 'bad_request',
  },
  {
    name: 'an unsupported content encoding',
    method: 'POST',
    path: '/customers',
    raw: JSON.stringify(ok),
    headers: { 'content-encoding': 'compress' },
    status: 415,
    code: 'unsupported_media_type',
  },
  {
    name: 'an unsupported charset',
    method: 'POST',
    path: '/customers',
    raw: JSON.stringify(ok),
    headers: { 'content-type': 'application/json; charset=ebcdic' },
    status: 415,
    code: 'unsupported_media_type',
  },
  {
    name: 'truncated JSON',
    method: 'POST',
    path: '/customers',
    raw: '{"name":',
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'JSON with a trailing comma',
    method: 'POST',
    path: '/customers',
    raw: '{"name":"A",}',
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'a gzip body over the limit once inflated',
    method: 'POST',
    path: '/customers',
    raw: gzipSync(JSON.stringify({ ...ok, description: 'x'.repeat(300_000) })),
    headers: { 'content-encoding': 'gzip' },
    status: 413,
    code: 'payload_too_large',
  },
];

/** Class 3: cursors our check must refuse before PostgreSQL sees them. */
const cursors: HostileCase[] = [
  badCursor('a bare number as time and dashes as id', b64(['1', '------------------------------------'])),
  badCursor('a year PostgreSQL cannot hold', b64(['+275760-09-13T00:00:00.000Z', VALID_UUID])),
  badCursor('a date-only time', b64(['2026', VALID_UUID])),
  badCursor('a non-hex id', b64(['2026-11-29T10:00:00.000Z', 'gggggggg-gggg-gggg-gggg-gggggggggggg'])),
  badCursor('not base64 JSON', '%%%not-a-cursor'),
  badCursor('a JSON object', b64({ createdAt: '2026-11-29T10:00:00.000Z', id: VALID_UUID })),
  badCursor('an array of three', b64(['2026-11-29T10:00:00.000Z', VALID_UUID, 'x'])),
  badCursor('U+0000 in the time', b64(['2026-11-29T10:00:00.000Z\u0000', VALID_UUID])),
];

/** Class 4: what Stripe would refuse, refused here first. */
const stripeLimits: HostileCase[] = [
  invalid('50 user metadata keys (the sync adds one)', { ...ok, metadata: keys(50) }),
  invalid('a metadata key with [', { ...ok, metadata: { 'a[b': 'v' } }),
  invalid('a metadata key with ]', { ...ok, metadata: { 'a]': 'v' } }),
  invalid('a phone with no digit', { ...ok, phone: '.....' }),
  invalid('a phone of 21 characters', { ...ok, phone: '+1234567890123456789 ' }),
  invalid('a name of 257 emoji', { ...ok, name: '😀'.repeat(257) }),
  invalid('a description of 5001 characters', { ...ok, description: 'x'.repeat(5001) }),
  invalid('an email past 512 characters', {
    ...ok,
    email: `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.${'e'.repeat(63)}.${'f'.repeat(63)}.${'g'.repeat(63)}.${'h'.repeat(63)}.com`,
  }),
  invalid('a metadata key of 41 characters', { ...ok, metadata: { ['k'.repeat(41)]: 'v' } }),
  invalid('a metadata value of 501 characters', { ...ok, metadata: { k: 'v'.repeat(501) } }),
  patch('PATCH: 50 user metadata keys', { metadata: keys(50) }),
  patch('PATCH: a phone with no digit', { phone: '(--)' }),
];

/** Class 5: input that would be changed silently, refused instead. */
const silentChanges: HostileCase[] = [
  rawJson('a __proto__ metadata key', '{"name":"A","email":"jenny@example.com","metadata":{"__proto__":"x"}}'),
  rawJson('PATCH: only a __proto__ metadata key', '{"metadata":{"__proto__":"x"}}', {
    method: 'PATCH',
    path: '/customers/:id',
  }),
  invalid('an empty metadata value', { ...ok, metadata: { k: '' } }),
  patch('PATCH: an empty metadata value', { metadata: { k: '' } }),
  invalid('the reserved sync metadata key', { ...ok, metadata: { customer_sync_id: 'x' } }),
  invalid('a name of spaces only', { ...ok, name: '   ' }),
  invalid('an empty description (Stripe stores no description)', { ...ok, description: '' }),
  patch('PATCH: an empty description', { description: '' }),
];

const auth: HostileCase[] = [
  {
    name: 'no Authorization header',
    method: 'POST',
    path: '/customers',
    body: ok,
    noAuth: true,
    status: 401,
    code: 'unauthorized',
  },
  {
    name: 'a wrong API key',
    method: 'POST',
    path: '/customers',
    body: ok,
    noAuth: true,
    headers: { authorization: 'Bearer wrong-key-0123456789abcdef' },
    status: 401,
    code: 'unauthorized',
  },
  {
    name: 'Basic instead of Bearer',
    method: 'GET',
    path: '/customers',
    noAuth: true,
    headers: { authorization: 'Basic dGVzdDp0ZXN0' },
    status: 401,
    code: 'unauthorized',
  },
  {
    name: 'Bearer with no key',
    method: 'GET',
    path: '/customers',
    noAuth: true,
    headers: { authorization: 'Bearer ' },
    status: 401,
    code: 'unauthorized',
  },
  {
    name: 'a key with a space inside',
    method: 'DELETE',
    path: '/customers/:id',
    noAuth: true,
    headers: { authorization: 'Bearer test-api-key 0123456789abcdef' },
    status: 401,
    code: 'unauthorized',
  },
  {
    name: 'a key with non-ASCII bytes',
    method: 'PATCH',
    path: '/customers/:id',
    body: { name: 'B' },
    noAuth: true,
    headers: { authorization: 'Bearer t\u00e9st-api-key-0123456789abcdef' },
    status: 401,
    code: 'unauthorized',
  },
];

const jsonShape: HostileCase[] = [
  invalid('an array body', [ok]),
  invalid('a JSON null body', null),
  invalid('a JSON string body', 'Jenny'),
  invalid('a number as name', { ...ok, name: 42 }),
  invalid('an object as email', { ...ok, email: { $gt: '' } }),
  invalid('nested metadata', { ...ok, metadata: { a: { b: 'c' } } }),
  invalid('metadata as an array', { ...ok, metadata: ['a'] }),
  invalid('an unknown field', { ...ok, admin: true }),
  rawJson(
    'deeply nested JSON',
    `{"name":"A","email":"jenny@example.com","metadata":{"a":${'['.repeat(20_000)}${']'.repeat(20_000)}}}`,
    { headers: { 'idempotency-key': 'hostile-deep-1' } },
  ),
  rawJson('JSON nested deeper than the parser’s stack', `${'['.repeat(49_000)}${']'.repeat(49_000)}`),
  invalid('no body with a JSON type', undefined, { raw: '' }),
  patch('PATCH: an empty object', {}),
  patch('PATCH: null name', { name: null }),
  {
    name: 'a text/plain body',
    method: 'POST',
    path: '/customers',
    raw: JSON.stringify(ok),
    headers: { 'content-type': 'text/plain' },
    status: 415,
    code: 'unsupported_media_type',
  },
  {
    name: 'a form-encoded body',
    method: 'POST',
    path: '/customers',
    raw: 'name=Jenny&email=jenny%40example.com',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    status: 415,
    code: 'unsupported_media_type',
  },
];

const sizes: HostileCase[] = [
  {
    name: 'a body over 100kb',
    method: 'POST',
    path: '/customers',
    body: { ...ok, description: 'x'.repeat(120_000) },
    status: 413,
    code: 'payload_too_large',
  },
  invalid('a 95 KB body of invalid metadata', {
    ...ok,
    metadata: Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`${'k'.repeat(40)}${i}`, 'v'])),
  }),
  { name: 'limit=0', method: 'GET', path: '/customers?limit=0', status: 400, code: 'validation_failed' },
  { name: 'limit=101', method: 'GET', path: '/customers?limit=101', status: 400, code: 'validation_failed' },
  {
    name: 'limit given twice',
    method: 'GET',
    path: '/customers?limit=1&limit=2',
    status: 400,
    code: 'validation_failed',
  },
  { name: 'limit as a word', method: 'GET', path: '/customers?limit=lots', status: 400, code: 'validation_failed' },
];

const headersAndMethods: HostileCase[] = [
  invalid('an Idempotency-Key of 256 characters', ok, { headers: { 'idempotency-key': 'k'.repeat(256) } }),
  {
    name: 'PUT on a customer',
    method: 'PUT',
    path: '/customers/:id',
    body: ok,
    status: 405,
    code: 'method_not_allowed',
  },
  { name: 'DELETE on the collection', method: 'DELETE', path: '/customers', status: 405, code: 'method_not_allowed' },
  {
    name: 'POST on a customer',
    method: 'POST',
    path: '/customers/:id',
    body: ok,
    status: 405,
    code: 'method_not_allowed',
  },
  {
    name: 'a path id that is not a UUID',
    method: 'GET',
    path: '/customers/not-a-uuid',
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'a path id with an encoded U+0000',
    method: 'GET',
    path: '/customers/%00',
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'a customer that does not exist',
    method: 'DELETE',
    path: `/customers/${VALID_UUID}`,
    status: 404,
    code: 'not_found',
  },
  {
    name: 'an email filter with U+0000',
    method: 'GET',
    path: '/customers?email=a%00%40example.com',
    status: 400,
    code: 'validation_failed',
  },
];

/** Every hostile request the API suite sends. */
export const HOSTILE_API_CASES: HostileCase[] = [
  ...unstorableText,
  ...parserErrors,
  ...cursors,
  ...stripeLimits,
  ...silentChanges,
  ...auth,
  ...jsonShape,
  ...sizes,
  ...headersAndMethods,
];
