// The drain's input: customer events over a set of customers, mixed as Stripe sends them
// (creates, updates, same-second ties, duplicate deliveries, deletes), as stripe.events messages.
import type { StripeEvent } from '@customer-sync/contracts';
import type { OutgoingMessage } from '@customer-sync/kafka';
import { customerEvent } from '@customer-sync/testing';
import { stripeEventMessage } from '@customer-sync/webhook-receiver';

const EVENTS_PER_CUSTOMER = 10;

/** Event k (0–9) of customer c: 1 in 20 customers has a tie, 1 in 10 ends deleted; event 8 repeats 7. */
function eventOf(run: string, c: number, k: number, previous: StripeEvent | undefined): StripeEvent {
  if (k === 8 && previous) return previous;
  const t = 1_790_000_000 + c;
  const customer = {
    id: `cus_d${run}${c.toString(36)}`,
    name: `Customer ${c} v${k}`,
    email: `c${c}.${run}@example.com`,
  };
  if (k === 0) return customerEvent('customer.created', customer, t) as StripeEvent;
  if (k === 9 && c % 10 === 0) return customerEvent('customer.deleted', customer, t + 9) as StripeEvent;
  const created = k === 7 && c % 20 === 0 ? t + 6 : t + k;
  return customerEvent('customer.updated', customer, created) as StripeEvent;
}

/** `count` events (10 per customer), customers interleaved, each customer's events in order. */
export function* customerEvents(run: string, count: number): Generator<StripeEvent> {
  const customers = Math.ceil(count / EVENTS_PER_CUSTOMER);
  const last: StripeEvent[] = [];
  for (let k = 0; k < EVENTS_PER_CUSTOMER; k++) {
    for (let c = 0; c < customers; c++) {
      const event = eventOf(run, c, k, last[c]);
      last[c] = event;
      yield event;
    }
  }
}

/** The same events as webhook-ingress publishes them. */
export function* asMessages(events: Iterable<StripeEvent>): Generator<OutgoingMessage> {
  for (const event of events) yield stripeEventMessage(event, JSON.stringify(event));
}

export interface FinalRow {
  event: StripeEvent;
  deleted: boolean;
}

/** Per Stripe customer, the event whose state wins (newest `created`; a later one wins a tie). */
export function finalRows(events: Iterable<StripeEvent>): { rows: FinalRow[]; eventIds: string[] } {
  const rows = new Map<string, FinalRow>();
  const ids = new Set<string>();
  for (const event of events) {
    ids.add(event.id);
    const id = String(event.data.object.id);
    const current = rows.get(id);
    if (!current || current.event.created <= event.created)
      rows.set(id, { event, deleted: event.type === 'customer.deleted' });
  }
  return { rows: [...rows.values()], eventIds: [...ids] };
}
