import type { CustomerRequested, CustomerRequestedPayload, CustomerSyncResultPayload } from '@customer-sync/contracts';
import { INTERNAL_ID_KEY, type Stripe } from '@customer-sync/stripe-client';
import { profileParams } from './profile-params';
import { StripeCallFailed, type StripeCaller } from './stripe-caller';

/** Stripe keeps idempotency keys for 24 h; past this age a create looks for an earlier one first. */
export const IDEMPOTENCY_WINDOW_MS = 23 * 60 * 60 * 1000;

export interface CustomerSyncDeps {
  stripe: Stripe;
  call: StripeCaller;
  now?: () => number;
}

type Outcome = Pick<CustomerSyncResultPayload, 'outcome' | 'stripeCustomerId' | 'error'>;

const synced = (stripeCustomerId: string | null): Outcome => ({ outcome: 'synced', stripeCustomerId, error: null });
const failed = (stripeCustomerId: string | null, code: string, message: string): Outcome => ({ outcome: 'failed', stripeCustomerId, error: { code, message } });

/** Our fields as Stripe parameters, derived from the command alone so a retry sends the same ones; `''` clears. */
function customerParams(customer: CustomerRequestedPayload['customer'], customerId: string, unsetMetadataKeys: string[]) {
  const metadata: Record<string, string> = { ...customer.metadata, [INTERNAL_ID_KEY]: customerId };
  for (const key of unsetMetadataKeys) if (!(key in metadata)) metadata[key] = '';
  return {
    name: customer.name ?? '',
    email: customer.email ?? '',
    phone: customer.phone ?? '',
    description: customer.description ?? '',
    metadata,
    ...profileParams(customer),
  };
}

/**
 * Makes Stripe match one customer.requested command. Every write carries an Idempotency-Key derived
 * from the command's id (never the SDK's random one), so a redelivered command changes nothing.
 */
export async function syncCustomer(deps: CustomerSyncDeps, request: CustomerRequested): Promise<Outcome> {
  const { stripe, call } = deps;
  const { payload } = request;
  const key = (step: string) => `customer-sync:${request.id}:${step}`;

  const findByInternalId = async (): Promise<Stripe.Customer | undefined> => {
    const found = await call('customers.search', () => stripe.customers.search({ query: `metadata['${INTERNAL_ID_KEY}']:'${payload.customerId}'`, limit: 1 }));
    return found.data[0];
  };

  const params = customerParams(payload.customer, payload.customerId, payload.unsetMetadataKeys);

  const update = async (stripeId: string): Promise<Outcome> => {
    await call('customers.update', () => stripe.customers.update(stripeId, params, { idempotencyKey: key('update') }));
    return synced(stripeId);
  };

  const create = async (): Promise<Outcome> => {
    const age = (deps.now?.() ?? Date.now()) - Date.parse(request.occurredAt);
    if (age > IDEMPOTENCY_WINDOW_MS) {
      const existing = await findByInternalId();
      if (existing) return update(existing.id);
    }
    const created = await call('customers.create', () => stripe.customers.create(params, { idempotencyKey: key('create') }));
    return synced(created.id);
  };

  try {
    switch (payload.action) {
      case 'create':
        return await create();
      case 'update': {
        const stripeId = payload.stripeCustomerId ?? (await findByInternalId())?.id;
        return stripeId ? await update(stripeId) : await create();
      }
      case 'delete': {
        const stripeId = payload.stripeCustomerId ?? (await findByInternalId())?.id;
        if (!stripeId) return synced(null);
        await call('customers.del', () => stripe.customers.del(stripeId, {}, { idempotencyKey: key('delete') })).catch((error) => {
          if (!(error instanceof StripeCallFailed && error.failure.kind === 'missing')) throw error;
        });
        return synced(stripeId);
      }
    }
  } catch (error) {
    if (!(error instanceof StripeCallFailed)) throw error;
    const { failure } = error;
    return failure.kind === 'missing'
      ? failed(payload.stripeCustomerId, 'customer_missing_in_stripe', failure.message)
      : failed(payload.stripeCustomerId, failure.code, failure.message);
  }
}
