import { AppError } from '@customer-sync/service-core';

/** Longest message, path or detail text an error body carries, in UTF-16 units. */
export const MAX_ERROR_TEXT = 200;
/** Most entries an error body's `details` list carries; the rest are counted, not listed. */
export const MAX_ERROR_DETAILS = 20;

/** The shape of every error answer (libs/contracts' ErrorBody). */
export interface ErrorBodyShape {
  error: { code: string; message: string; details?: unknown };
}

const clip = (text: string) => (text.length > MAX_ERROR_TEXT ? `${text.slice(0, MAX_ERROR_TEXT - 1)}…` : text);

/** A detail list cut to MAX_ERROR_DETAILS entries with clipped strings, plus a count of the rest. */
function boundedDetails(details: unknown): unknown {
  if (!Array.isArray(details)) return typeof details === 'string' ? clip(details) : details;
  const listed = details
    .slice(0, MAX_ERROR_DETAILS)
    .map((d) =>
      typeof d === 'object' && d !== null
        ? Object.fromEntries(Object.entries(d).map(([k, v]) => [k, typeof v === 'string' ? clip(v) : v]))
        : d,
    );
  const omitted = details.length - listed.length;
  return omitted > 0 ? [...listed, { path: '…', message: `${omitted} more issues not listed` }] : listed;
}

/**
 * The `{ error: { code, message, details } }` body of an AppError, bounded in size whatever the
 * input was (a few KB at most: MAX_ERROR_DETAILS entries of MAX_ERROR_TEXT characters).
 */
export function errorBodyOf(error: AppError): ErrorBodyShape {
  const body: ErrorBodyShape = { error: { code: error.code, message: clip(error.message) } };
  if (error.details !== undefined) body.error.details = boundedDetails(error.details);
  return body;
}

/** The body of every 500: generic, pointing at the request id (the details are in the log only). */
export const INTERNAL_ERROR_BODY: ErrorBodyShape = {
  error: { code: 'internal_error', message: 'something went wrong; the request id is in the X-Request-Id header' },
};
