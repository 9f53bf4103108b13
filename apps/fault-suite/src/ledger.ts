import type { CustomerValues } from './customer-values';
import type { CustomerInput } from './load-plan';

/** A write the API acknowledged (202): the values are those of the 202 body, the full customer after the write. */
export interface AcknowledgedApiWrite {
  kind: 'create' | 'update';
  ackAt: number;
  values: CustomerValues;
  /** What the request set: the fields (and metadata) this write changed; a create sets all. */
  input?: CustomerInput;
}

/** A write Stripe acknowledged to the load's SDK client, with the idempotency key that marks its event. */
export interface AcknowledgedStripeWrite {
  kind: 'create' | 'update';
  ackAt: number;
  idempotencyKey: string;
  values: CustomerValues;
  /** What the request set (Stripe merges metadata keys; other fields it replaces). */
  input?: CustomerInput;
}

/** What the load knows about one customer: only acknowledged facts, in the order they were acknowledged. */
export interface TrackedCustomer {
  handle: string;
  origin: 'api' | 'stripe';
  rowId?: string;
  stripeId?: string;
  apiWrites: AcknowledgedApiWrite[];
  stripeWrites: AcknowledgedStripeWrite[];
  deletion?: { side: 'api' | 'stripe'; ackAt: number };
  /** A write whose outcome is unknown (no answer before the deadline): this customer's values cannot be asserted. */
  ambiguous: boolean;
}

/** An answer the load did not expect (or no answer at all), named with its customer. */
export interface Anomaly {
  at: number;
  handle: string;
  what: string;
}

/** Counts per operation and answer, e.g. `api-update 202`. */
export type OpCounts = Record<string, number>;

/** The acknowledged-values model the invariant checker compares the system against. */
export class Ledger {
  readonly customers = new Map<string, TrackedCustomer>();
  readonly anomalies: Anomaly[] = [];
  readonly counts: OpCounts = {};
  /** API writes that got no answer (or a 5xx) at first and were sent again with the same Idempotency-Key. */
  retriedWithSameKey = 0;

  /** The customer of a plan handle, created on first use. */
  track(handle: string, origin: 'api' | 'stripe'): TrackedCustomer {
    let customer = this.customers.get(handle);
    if (!customer) {
      customer = { handle, origin, apiWrites: [], stripeWrites: [], ambiguous: false };
      this.customers.set(handle, customer);
    }
    return customer;
  }

  /** Counts one operation by its answer, for the report's operation line. */
  count(op: string, outcome: string | number): void {
    const key = `${op} ${outcome}`;
    this.counts[key] = (this.counts[key] ?? 0) + 1;
  }

  /** Records an unexpected answer (or none) of an operation of customer `handle`. */
  anomaly(at: number, handle: string, what: string): void {
    this.anomalies.push({ at, handle, what });
  }
}
