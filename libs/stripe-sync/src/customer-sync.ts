import {
  LEGACY_LINK_METADATA_KEY,
  LINK_METADATA_KEY,
  type CustomerRequested,
  type CustomerSyncResultPayload,
} from '@customer-sync/contracts';
import type { Stripe } from '@customer-sync/stripe-client';
import { StripeCallFailed, type StripeCaller } from './stripe-caller';
import { stripeParams } from './stripe-params';

/** Stripe keeps idempotency keys for 24 h; past this age a create looks for an earlier one first. */
export const IDEMPOTENCY_WINDOW_MS = 23 * 60 * 60 * 1000;

export interface CustomerSyncDeps {
  stripe: Stripe;
  call: StripeCaller;
  now?: () => number;
}

/** Our create is older than Stripe's idempotency window: replaying it could make a second customer. */
class OwnCreateForgotten extends Error {
  constructor() {
    super('our create is older than Stripe keeps idempotency keys; the next write or a resync sends this again');
  }
}

type Outcome = Pick<CustomerSyncResultPayload, 'outcome' | 'stripeCustomerId' | 'error'>;

const synced = (stripeCustomerId: string | null): Outcome => ({ outcome: 'synced', stripeCustomerId, error: null });
const failed = (stripeCustomerId: string | null, code: string, message: string): Outcome => ({
  outcome: 'failed',
  stripeCustomerId,
  error: { code, message },
});
const deletedInStripe = (stripeCustomerId: string | null): Outcome => ({
  outcome: 'deleted_in_stripe',
  stripeCustomerId,
  error: null,
});

/**
 * Makes Stripe take one customer.requested command. Every write carries an Idempotency-Key derived
 * from the command's id (never the SDK's random one), so a redelivered command changes nothing.
 * Only a create creates: an update or delete that meets a customer deleted in Stripe reports
 * `deleted_in_stripe` (a deletion in Stripe is final) and never creates a new one.
 */
export async function syncCustomer(deps: CustomerSyncDeps, request: CustomerRequested): Promise<Outcome> {
  const { stripe, call } = deps;
  const { payload } = request;
  const key = (step: string) => `customer-sync:${request.id}:${step}`;

  /** Our Stripe customer by its link key; customers made before issue 9 carry the legacy key. */
  const findLinked = async (): Promise<Stripe.Customer | undefined> => {
    for (const linkKey of [LINK_METADATA_KEY, LEGACY_LINK_METADATA_KEY]) {
      const found = await call('customers.search', () =>
        stripe.customers.search({ query: `metadata['${linkKey}']:'${payload.customerId}'`, limit: 1 }),
      );
      if (found.data[0]) return found.data[0];
    }
    return undefined;
  };

  /**
   * The customer our own create made, for a command without a confirmed Stripe id (queued before our
   * create's result, maybe while a claimant held the row): that create replayed under its
   * idempotency key, which Stripe answers with the customer it first made, for 24 h — never a
   * claimant, which a lookup by link key may find. Undefined when our create failed: nothing of ours
   * is in Stripe. Commands from before `ownCreate` existed still look the customer up by link key.
   */
  const ownCustomerId = async (): Promise<string | undefined> => {
    if (payload.stripeCustomerId) return payload.stripeCustomerId;
    const own = payload.ownCreate;
    if (!own) return (await findLinked())?.id;
    if ((deps.now?.() ?? Date.now()) - Date.parse(own.occurredAt) > IDEMPOTENCY_WINDOW_MS)
      throw new OwnCreateForgotten();
    const params = stripeParams(own.changes, payload.customerId, { create: true });
    try {
      return (
        await call('customers.create', () =>
          stripe.customers.create(params, { idempotencyKey: `customer-sync:${own.requestId}:create` }),
        )
      ).id;
    } catch (error) {
      if (error instanceof StripeCallFailed) return undefined;
      throw error;
    }
  };

  const update = async (stripeId: string, params: Record<string, unknown>): Promise<Outcome> => {
    try {
      await call('customers.update', () =>
        stripe.customers.update(stripeId, params, { idempotencyKey: key('update') }),
      );
      return synced(stripeId);
    } catch (error) {
      if (error instanceof StripeCallFailed && error.failure.kind === 'missing') return deletedInStripe(stripeId);
      throw error;
    }
  };

  const create = async (): Promise<Outcome> => {
    const age = (deps.now?.() ?? Date.now()) - Date.parse(request.occurredAt);
    if (age > IDEMPOTENCY_WINDOW_MS) {
      const existing = await findLinked();
      if (existing) return update(existing.id, stripeParams(payload.changes, payload.customerId, { create: false }));
    }
    const params = stripeParams(payload.changes, payload.customerId, { create: true });
    const created = await call('customers.create', () =>
      stripe.customers.create(params, { idempotencyKey: key('create') }),
    );
    return synced(created.id);
  };

  try {
    switch (payload.action) {
      case 'create':
        return await create();
      case 'update': {
        const stripeId = await ownCustomerId();
        // The create is handled before this update (same partition): not found means Stripe lost
        // it (deleted), or the create failed; neither is repaired by creating it here.
        if (!stripeId) return failed(null, 'customer_not_in_stripe', 'no Stripe customer is linked to this customer');
        return await update(stripeId, stripeParams(payload.changes, payload.customerId, { create: false }));
      }
      case 'delete': {
        const stripeId = await ownCustomerId();
        if (!stripeId) return synced(null);
        await call('customers.del', () => stripe.customers.del(stripeId, {}, { idempotencyKey: key('delete') })).catch(
          (error) => {
            if (!(error instanceof StripeCallFailed && error.failure.kind === 'missing')) throw error;
          },
        );
        return synced(stripeId);
      }
    }
  } catch (error) {
    if (error instanceof OwnCreateForgotten) return failed(null, 'own_create_expired', error.message);
    if (!(error instanceof StripeCallFailed)) throw error;
    const { failure } = error;
    return failure.kind === 'missing'
      ? failed(payload.stripeCustomerId, 'customer_missing_in_stripe', failure.message)
      : failed(payload.stripeCustomerId, failure.code, failure.message);
  }
}
