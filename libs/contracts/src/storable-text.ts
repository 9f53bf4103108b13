/**
 * The rule for text from Stripe that PostgreSQL cannot store: U+0000 (refused by `text` and `jsonb`)
 * and unpaired UTF-16 surrogates (not Unicode scalar values; `jsonb` refuses them) become U+FFFD,
 * the replacement character, as a UTF-8 encoder does. Everything else is kept as is.
 */
export function storableText(value: string): string {
  return value.replace(/\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

/** storableText applied to every string inside a JSON value (keys included). */
export function storableJson<T>(value: T): T {
  if (typeof value === 'string') return storableText(value) as T;
  if (Array.isArray(value)) return value.map(storableJson) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [storableText(k), storableJson(v)])) as T;
  }
  return value;
}
