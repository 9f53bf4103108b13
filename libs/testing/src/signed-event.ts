import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Stripe from 'stripe';

export const FIXTURES_DIR = join(__dirname, '../fixtures/stripe');

export function fixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(join(FIXTURES_DIR, name), 'utf8')) as T;
}

/** A body and its Stripe-Signature, as Stripe would post them. */
export function signedBody(event: unknown, secret: string, timestamp?: number): { body: string; signature: string } {
  const body = typeof event === 'string' ? event : JSON.stringify(event);
  return { body, signature: Stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp }) };
}

let sequence = 0;

/** A customer event shaped like Stripe's, for driving db-writer and the ingress. */
export function customerEvent(
  type: 'customer.created' | 'customer.updated' | 'customer.deleted' | string,
  customer: Record<string, unknown>,
  created: number,
  extra: Record<string, unknown> = {},
) {
  const base = fixture<{ data: { object: Record<string, unknown> } }>('event.customer.created.json');
  return {
    ...base,
    id: `evt_test${Date.now().toString(36)}${(sequence++).toString(36)}${Math.random().toString(36).slice(2, 8)}`,
    type,
    created,
    data: { object: { ...base.data.object, ...customer }, ...extra },
  };
}
