import type { StripeEvent } from '@customer-sync/contracts';
import { planBatch } from './batch-plan';
import type { CustomerChange } from './customer-event-types';

const change = (id: string, customer: string, created: number, deleted = false): CustomerChange => ({
  event: { id, created } as StripeEvent,
  customer: { id: customer, object: 'customer' },
  deleted,
});

describe('planBatch', () => {
  it('keeps the newest change per customer and lists the rest as superseded', () => {
    const plan = planBatch([
      change('e1', 'cus_a', 1),
      change('e2', 'cus_a', 3),
      change('e3', 'cus_b', 2),
      change('e4', 'cus_a', 2),
    ]);
    expect(plan.map((p) => [p.winner.event.id, p.tiedInBatch, p.superseded.map((s) => s.event.id)])).toEqual([
      ['e2', false, ['e1', 'e4']],
      ['e3', false, []],
    ]);
  });

  it('lets a deletion win over newer updates', () => {
    const [plan] = planBatch([change('e1', 'cus_a', 5), change('e2', 'cus_a', 4, true)]);
    expect(plan!.winner.event.id).toBe('e2');
  });

  it('flags two newest changes in the same second as a tie', () => {
    const [plan] = planBatch([change('e1', 'cus_a', 7), change('e2', 'cus_a', 7), change('e3', 'cus_a', 6)]);
    expect(plan!.tiedInBatch).toBe(true);
  });
});
