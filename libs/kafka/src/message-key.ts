/** Longest key, in bytes, that logs and handlers see as it is. */
const SHOWN_KEY_BYTES = 255;

/**
 * A message key as text for logs and handlers: whole up to 255 bytes (any id we key by), else its
 * first 64 bytes and its size, so a huge key is never decoded or logged whole on every line.
 */
export function describeKey(key: Buffer | null | undefined): string | null {
  if (key === null || key === undefined) return null;
  if (key.length <= SHOWN_KEY_BYTES) return key.toString();
  return `${key.subarray(0, 64).toString()}…[key of ${key.length} bytes]`;
}
