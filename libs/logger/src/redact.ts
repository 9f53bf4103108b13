const SENSITIVE_KEY =
  /(secret|password|passwd|authorization|api[-_]?keys?|signature|token|cookie|email|card|cvc|iban|database_url)/i;
/*
 * Every quantifier below that is followed by more of the pattern is bounded, so a match attempt
 * costs at most a constant number of steps and a whole scan is linear in the text: an unbounded
 * local part (`[…]+@`) rescanned a run without an '@' from every start position (80,000 characters
 * took 28 s). Bounds are RFC 5321's: local part 64, domain 255, a label (the TLD) 63.
 */
const EMAIL = /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,255}\.[A-Za-z]{2,63}/g;
const STRIPE_SECRET = /\b(sk|rk|whsec)_(test_|live_)?[A-Za-z0-9]+/g;
const BEARER = /Bearer\s{1,16}[^\s,"]+/gi;
/** 13–19 digits, single spaces or dashes between them, standing alone (not inside a UUID or an id). */
const PAN_CANDIDATE = /(?<![\w-])\d(?:[ -]?\d){12,18}(?![\w-])/g;

/** The Luhn checksum every card number satisfies; most other digit runs (ids, timestamps) fail it. */
function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

export const REDACTED = '[REDACTED]';

/** Longest string a log line carries, in characters; longer ones are cut with a marker. */
export const MAX_LOGGED_CHARS = 8192;
/** Longer than any match of the patterns above (64 + 1 + 255 + 1 + 63 for an email). */
const LONGEST_MATCH = 400;
const TOKEN_CHAR = /[A-Za-z0-9._%+@ -]/;

/**
 * Where to cut a string longer than MAX_LOGGED_CHARS: before the run of characters that could be
 * part of an email, key or card number reaching the cut, so no part of one is kept unmasked.
 */
function cutAt(text: string): number {
  let cut = MAX_LOGGED_CHARS;
  while (cut > MAX_LOGGED_CHARS - LONGEST_MATCH && TOKEN_CHAR.test(text[cut - 1]!)) cut--;
  return cut;
}

/** Masks secrets, keys, signatures, emails and card numbers in text, whatever its length (linear time). */
export function maskPatterns(text: string): string {
  return text
    .replace(BEARER, `Bearer ${REDACTED}`)
    .replace(STRIPE_SECRET, REDACTED)
    .replace(EMAIL, REDACTED)
    .replace(PAN_CANDIDATE, (match) => (passesLuhn(match.replace(/[ -]/g, '')) ? REDACTED : match));
}

/**
 * Masks secrets, keys, signatures, emails and card numbers (Luhn-valid digit runs) inside a
 * free-text string, and cuts a string longer than MAX_LOGGED_CHARS (with a marker giving its
 * length), so a log line costs time linear in at most that many characters.
 */
export function redactText(text: string): string {
  if (text.length <= MAX_LOGGED_CHARS) return maskPatterns(text);
  return `${maskPatterns(text.slice(0, cutAt(text)))}…[truncated: ${text.length} chars]`;
}

/** Deep copy with sensitive keys masked and sensitive patterns removed from strings. */
export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object' || depth > 8) return value;
  if (value instanceof Error)
    return { name: value.name, message: redactText(value.message), stack: value.stack && redactText(value.stack) };
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[key] = redactField(key, v, depth + 1);
  return out;
}

/** A value masked whole when its key names something sensitive, else redacted inside. */
export function redactField(key: string, value: unknown, depth = 0): unknown {
  return SENSITIVE_KEY.test(key) && value !== null && value !== undefined ? REDACTED : redact(value, depth);
}
