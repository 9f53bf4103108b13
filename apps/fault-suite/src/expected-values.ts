import { sameValues, type CustomerValues } from './customer-values';
import type { TrackedCustomer } from './ledger';
import type { StripeLogEntry } from './state-reader';

/** What one customer should hold in Stripe, why, and what Stripe's log shows went wrong on the way. */
export interface Expectation {
  values: CustomerValues;
  because: string;
  problems: string[];
}

export const WORKER_KEY_PREFIX = 'customer-sync:';
const seconds = (ms: number) => `t=${(ms / 1000).toFixed(1)}s`;
const isWrite = (e: StripeLogEntry) => e.type === 'customer.created' || e.type === 'customer.updated';
const isWorker = (e: StripeLogEntry) => e.idempotencyKey?.startsWith(WORKER_KEY_PREFIX) === true;

/**
 * The last acknowledged write of a customer, in Stripe's order.
 *
 * API writes are acknowledged (202) before they reach Stripe; the worker then writes the full
 * acknowledged state, so the last API write is the worker's last write carrying exactly the 202
 * body's values (every write sets a never-used name, so values identify a write). A Stripe-side edit
 * of the load that comes after that write in Stripe's event log is newer and wins; one that comes
 * before it is overwritten, as the API's later acknowledgement says it should be.
 *
 * @param log this Stripe customer's events, oldest first
 */
export function expectedValues(c: TrackedCustomer, log: StripeLogEntry[]): Expectation | undefined {
  const writes = log.filter(isWrite);
  const lastApi = c.apiWrites.at(-1);
  const ourKeys = new Set(c.stripeWrites.map((w) => w.idempotencyKey));
  if (!lastApi) {
    const lastStripe = c.stripeWrites.at(-1);
    if (!lastStripe) return undefined;
    const echoes = writes.filter(isWorker);
    return {
      values: lastStripe.values,
      because: `its last Stripe-side ${lastStripe.kind} (acknowledged ${seconds(lastStripe.ackAt)})`,
      problems: echoes.length ? [`the worker wrote to a customer that had no API write (echo): ${echoes.map((e) => e.eventId).join(', ')}`] : [],
    };
  }
  const apiBecause = `its last acknowledged API ${lastApi.kind} (202 at ${seconds(lastApi.ackAt)})`;
  const landed = writes.findLastIndex((e) => isWorker(e) && sameValues(e.values, lastApi.values));
  if (landed < 0) {
    const lastWorker = writes.filter(isWorker).at(-1);
    return {
      values: lastApi.values,
      because: apiBecause,
      problems: [`that write never reached Stripe (the worker's last write there set name ${JSON.stringify(lastWorker?.values.name ?? null)})`],
    };
  }
  const after = writes.slice(landed + 1);
  const problems = after
    .filter((e) => isWorker(e) && !sameValues(e.values, lastApi.values))
    .map((e) => `an older API write was applied in Stripe after the last acknowledged one (${e.eventId} set name ${JSON.stringify(e.values.name)}, key ${e.idempotencyKey})`);
  const laterEdit = after.filter((e) => e.idempotencyKey !== null && ourKeys.has(e.idempotencyKey)).at(-1);
  if (laterEdit) return { values: laterEdit.values, because: `a Stripe-side edit (${laterEdit.eventId}) came after its last API write in Stripe's order`, problems };
  return { values: lastApi.values, because: apiBecause, problems };
}
