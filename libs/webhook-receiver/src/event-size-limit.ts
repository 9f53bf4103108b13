import { batchSizeOf } from '@customer-sync/kafka';
import { STRIPE_ID_MAX_CHARS, type StripeEvent } from '@customer-sync/contracts';
import { stripeEventMessage } from './stripe-event-message';

/**
 * Stripe documents object ids as at most 255 characters; event types and API versions are far
 * shorter than the bounds taken here. An event beyond them is still measured exactly before it is
 * sent (SafeProducer.check), so a bound that falls short costs a late 413, never a 503.
 */
const LONGEST_ID = STRIPE_ID_MAX_CHARS;
const LONGEST_TYPE = 255;
const LONGEST_API_VERSION = 64;

const worstCaseEvent: StripeEvent = {
  id: 'e'.repeat(LONGEST_ID),
  object: 'event',
  type: 't'.repeat(LONGEST_TYPE),
  created: 9_999_999_999,
  api_version: 'v'.repeat(LONGEST_API_VERSION),
  livemode: false,
  data: { object: { id: 'c'.repeat(LONGEST_ID), object: 'customer' } },
} as StripeEvent;

/**
 * The largest webhook body, in bytes, whose stripe.events message fits a topic whose
 * `max.message.bytes` is maxMessageBytes: the limit minus everything the message adds around the
 * body (record batch and record framing, key, headers, envelope), measured on the message the
 * ingress really builds for an event with the longest ids. Returns 0 when nothing fits.
 */
export function maxEventBodyBytes(maxMessageBytes: number): number {
  return Math.max(0, maxMessageBytes - batchSizeOf(stripeEventMessage(worstCaseEvent, '')));
}
