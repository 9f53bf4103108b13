import type { CustomerChange } from './customer-event-types';

export interface PlannedChange {
  /** The change that decides this customer's state. */
  winner: CustomerChange;
  tiedInBatch: boolean;
  /** The other changes of the customer in the batch, made moot by the winner. */
  superseded: CustomerChange[];
}

/**
 * Reduces a batch to one change per customer, so a backlog is applied in few round trips:
 * a deletion wins; otherwise the newest `created`, flagged when another event shares its second.
 */
export function planBatch(changes: CustomerChange[]): PlannedChange[] {
  const byCustomer = new Map<string, CustomerChange[]>();
  for (const change of changes) {
    const list = byCustomer.get(change.customer.id) ?? [];
    list.push(change);
    byCustomer.set(change.customer.id, list);
  }
  return [...byCustomer.values()].map((group) => {
    const deletion = group.find((c) => c.deleted);
    const winner = deletion ?? group.reduce((a, b) => (b.event.created > a.event.created ? b : a));
    const tiedInBatch = !deletion && group.some((c) => c !== winner && c.event.created === winner.event.created);
    return { winner, tiedInBatch, superseded: group.filter((c) => c !== winner) };
  });
}
