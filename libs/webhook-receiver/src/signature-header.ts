/** A `Stripe-Signature` header read once, strictly: the one timestamp and the v1 signatures. */
export interface SignatureHeader {
  /** Unix seconds of `t=`. */
  timestamp: number;
  /** Hex HMAC-SHA256 values of the `v1=` entries. */
  signatures: string[];
  /** `t=<timestamp>,v1=<sig>…`: the same values rebuilt, the only form handed to the SDK. */
  canonical: string;
}

const TIMESTAMP = /^\d{1,12}$/;
const V1 = /^[0-9a-f]{64}$/;

/**
 * Parses `t=<unix seconds>,v1=<hex>[,v1=…][,v0=…]` as Stripe sends it. Undefined unless there is
 * exactly one all-digit `t` and at least one well-formed `v1`; other schemes (v0) are ignored as the
 * SDK ignores them. Everything after reads the timestamp from here, so our own checks and the SDK's
 * verification (which would take the last `t` and parseInt it) can never see two different values.
 */
export function parseSignatureHeader(header: string): SignatureHeader | undefined {
  const timestamps: string[] = [];
  const signatures: string[] = [];
  for (const item of header.split(',')) {
    const eq = item.indexOf('=');
    if (eq <= 0) return undefined;
    const [key, value] = [item.slice(0, eq), item.slice(eq + 1)];
    if (key === 't') timestamps.push(value);
    else if (key === 'v1') signatures.push(value);
  }
  if (
    timestamps.length !== 1 ||
    !TIMESTAMP.test(timestamps[0]!) ||
    signatures.length === 0 ||
    !signatures.every((s) => V1.test(s))
  )
    return undefined;
  const timestamp = Number(timestamps[0]);
  return { timestamp, signatures, canonical: [`t=${timestamp}`, ...signatures.map((s) => `v1=${s}`)].join(',') };
}
