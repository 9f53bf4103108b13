import { batchSizeOf } from '@customer-sync/kafka';
import { StripeEvent } from '@customer-sync/contracts';
import { maxEventBodyBytes } from './event-size-limit';
import { stripeEventMessage } from './stripe-event-message';

const KAFKA_DEFAULT = 1_048_588;
const event = StripeEvent.parse({
  id: `evt_${'a'.repeat(60)}`,
  object: 'event',
  type: 'customer.subscription.trial_will_end',
  created: 1786958045,
  api_version: '2026-07-29.dahlia',
  livemode: false,
  data: { object: { id: `cus_${'b'.repeat(60)}`, object: 'customer' } },
});

describe('maxEventBodyBytes', () => {
  it('admits only bodies whose stripe.events message fits the topic', () => {
    const limit = maxEventBodyBytes(KAFKA_DEFAULT);
    const body = (bytes: number) => 'x'.repeat(bytes);
    expect(batchSizeOf(stripeEventMessage(event, body(limit)))).toBeLessThanOrEqual(KAFKA_DEFAULT);
    // Below 1 MiB: the range the issue saw answered 503 is now refused up front.
    expect(limit).toBeLessThan(1_048_150);
    expect(limit).toBeGreaterThan(1_040_000);
  });

  it('grows with the topic limit and never goes below zero', () => {
    expect(maxEventBodyBytes(2 * KAFKA_DEFAULT) - maxEventBodyBytes(KAFKA_DEFAULT)).toBe(KAFKA_DEFAULT);
    expect(maxEventBodyBytes(100)).toBe(0);
  });
});
