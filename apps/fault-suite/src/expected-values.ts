import type { CustomerValues } from './customer-values';
import type { AcknowledgedApiWrite, AcknowledgedStripeWrite, TrackedCustomer } from './ledger';
import type { StripeLogEntry } from './state-reader';

/** What one customer should hold in Stripe, why, and what Stripe's log shows went wrong on the way. */
export interface Expectation {
  values: CustomerValues;
  /** Other values a field (`name`…, or `metadata.<key>`) may rightly end with, as JSON; see expectedValues. */
  alternatives: Record<string, string[]>;
  because: string;
  problems: string[];
}

export const WORKER_KEY_PREFIX = 'customer-sync:';
const FIELDS = ['name', 'email', 'phone', 'description'] as const;
const seconds = (ms: number) => `t=${(ms / 1000).toFixed(1)}s`;
const isWrite = (e: StripeLogEntry) => e.type === 'customer.created' || e.type === 'customer.updated';
const isWorker = (e: StripeLogEntry) => e.idempotencyKey?.startsWith(WORKER_KEY_PREFIX) === true;
const json = (v: unknown) => JSON.stringify(v ?? null);

interface LandedWrite {
  at: number;
  side: 'api' | 'stripe';
  write: AcknowledgedApiWrite | AcknowledgedStripeWrite;
  /** The API write acknowledged before this one (its 202 body is what the client last saw). */
  previousApi?: AcknowledgedApiWrite;
}

/** The slots (`name`…, `metadata.<key>`) a write set: the fields of its request; an API PATCH's metadata replaces the whole map. */
function slotsOf(w: LandedWrite): string[] {
  const input = w.write.input;
  if (!input || w.write.kind === 'create')
    return [...FIELDS, ...Object.keys(w.write.values.metadata).map((k) => `metadata.${k}`)];
  const slots: string[] = FIELDS.filter((f) => f in input);
  if (input.metadata) {
    const keys = new Set(Object.keys(input.metadata));
    if (w.side === 'api') for (const k of Object.keys(w.previousApi?.values.metadata ?? {})) keys.add(k);
    for (const k of keys) slots.push(`metadata.${k}`);
  }
  return slots;
}

const slotValue = (values: CustomerValues, slot: string) =>
  json(
    slot.startsWith('metadata.')
      ? values.metadata[slot.slice('metadata.'.length)]
      : values[slot as (typeof FIELDS)[number]],
  );

/**
 * What Stripe should hold, field by field (the sync is field-level: an API write sends only what it
 * changed, and a Stripe-side edit of other fields survives it).
 *
 * The writes that reached Stripe are put in Stripe's order (an API write is the worker's event that
 * carries its never-used name; a Stripe-side edit is the event with its idempotency key). Each field
 * and metadata key ends with the value of the last write that set it. An API write that re-sends a
 * value equal to what the client last saw may rightly be dropped by the API's comparison with the row
 * (the row may not show a Stripe edit yet), so the value before it is accepted too.
 *
 * @param log this Stripe customer's events, oldest first
 */
export function expectedValues(c: TrackedCustomer, log: StripeLogEntry[]): Expectation | undefined {
  const writes = log.filter(isWrite);
  const lastApi = c.apiWrites.at(-1);
  const problems: string[] = [];
  if (!lastApi) {
    const lastStripe = c.stripeWrites.at(-1);
    if (!lastStripe) return undefined;
    const echoes = writes.filter(isWorker);
    if (echoes.length)
      problems.push(
        `the worker wrote to a customer that had no API write (echo): ${echoes.map((e) => e.eventId).join(', ')}`,
      );
  }

  const landed: LandedWrite[] = [];
  c.apiWrites.forEach((write, i) => {
    const at = writes.findIndex((e) => isWorker(e) && e.values.name === write.values.name);
    if (at >= 0) landed.push({ at, side: 'api', write, previousApi: c.apiWrites[i - 1] });
    else if (write === lastApi) {
      // Expected all the same, as the last write: the report then shows what is missing.
      landed.push({ at: Number.MAX_SAFE_INTEGER, side: 'api', write, previousApi: c.apiWrites[i - 1] });
      const lastWorker = writes.filter(isWorker).at(-1);
      problems.push(
        `that write never reached Stripe (the worker's last write there set name ${JSON.stringify(lastWorker?.values.name ?? null)})`,
      );
    }
  });
  for (const write of c.stripeWrites) {
    const at = writes.findIndex((e) => e.idempotencyKey === write.idempotencyKey);
    if (at >= 0) landed.push({ at, side: 'stripe', write });
  }
  landed.sort((a, b) => a.at - b.at);

  const lastApiAt = landed.find((l) => l.write === lastApi)?.at;
  if (lastApiAt !== undefined && lastApiAt !== Number.MAX_SAFE_INTEGER && lastApi) {
    for (const e of writes.slice(lastApiAt + 1).filter((e) => isWorker(e) && e.values.name !== lastApi.values.name)) {
      problems.push(
        `an older API write was applied in Stripe after the last acknowledged one (${e.eventId} set name ${JSON.stringify(e.values.name)}, key ${e.idempotencyKey})`,
      );
    }
  }

  const first = landed[0]?.write ?? lastApi ?? c.stripeWrites.at(-1)!;
  const values: CustomerValues = { ...first.values, metadata: { ...first.values.metadata } };
  const alternatives: Record<string, string[]> = {};
  for (const l of landed.slice(1)) {
    for (const slot of slotsOf(l)) {
      const next = slotValue(l.write.values, slot);
      const resent = l.side === 'api' && l.previousApi !== undefined && slotValue(l.previousApi.values, slot) === next;
      const before = slotValue(values, slot);
      alternatives[slot] = resent && before !== next ? [before] : [];
      if (slot.startsWith('metadata.')) {
        const key = slot.slice('metadata.'.length);
        const v = l.write.values.metadata[key];
        if (v === undefined) delete values.metadata[key];
        else values.metadata[key] = v;
      } else (values as unknown as Record<string, unknown>)[slot] = l.write.values[slot as (typeof FIELDS)[number]];
    }
  }
  const last = landed.at(-1);
  const because = last
    ? `the last write of each field in Stripe's order (last: ${last.side === 'api' ? 'API' : 'Stripe-side'} ${last.write.kind} acknowledged ${seconds(last.write.ackAt)})`
    : `its last acknowledged write (${seconds(first.ackAt)})`;
  return { values, alternatives, because, problems };
}

/** The fields where `actual` holds neither the expected value nor an accepted alternative, as `field: "a" ≠ "b"`. */
export function expectationDiff(
  expectation: Expectation,
  actual: CustomerValues,
  labels: [string, string] = ['expected', 'actual'],
): string[] {
  const slots = new Set<string>([
    ...FIELDS,
    ...[...Object.keys(expectation.values.metadata), ...Object.keys(actual.metadata)].map((k) => `metadata.${k}`),
  ]);
  const diffs: string[] = [];
  for (const slot of slots) {
    const want = slotValue(expectation.values, slot);
    const got = slotValue(actual, slot);
    if (want !== got && !(expectation.alternatives[slot] ?? []).includes(got))
      diffs.push(`${slot}: ${labels[0]} ${want} ≠ ${labels[1]} ${got}`);
  }
  return diffs;
}
