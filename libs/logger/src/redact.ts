const SENSITIVE_KEY = /(secret|password|passwd|authorization|api[-_]?keys?|signature|token|cookie|email|card|cvc|iban|database_url)/i;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const STRIPE_SECRET = /\b(sk|rk|whsec)_(test_|live_)?[A-Za-z0-9]+/g;
const BEARER = /Bearer\s+[^\s,"]+/gi;
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

/** Masks secrets, keys, signatures, emails and card numbers (Luhn-valid digit runs) inside a free-text string. */
export function redactText(text: string): string {
  return text
    .replace(BEARER, `Bearer ${REDACTED}`)
    .replace(STRIPE_SECRET, REDACTED)
    .replace(EMAIL, REDACTED)
    .replace(PAN_CANDIDATE, (match) => (passesLuhn(match.replace(/[ -]/g, '')) ? REDACTED : match));
}

/** Deep copy with sensitive keys masked and sensitive patterns removed from strings. */
export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object' || depth > 8) return value;
  if (value instanceof Error) return { name: value.name, message: redactText(value.message), stack: value.stack && redactText(value.stack) };
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[key] = redactField(key, v, depth + 1);
  return out;
}

/** A value masked whole when its key names something sensitive, else redacted inside. */
export function redactField(key: string, value: unknown, depth = 0): unknown {
  return SENSITIVE_KEY.test(key) && value !== null && value !== undefined ? REDACTED : redact(value, depth);
}
