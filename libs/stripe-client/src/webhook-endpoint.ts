import type Stripe from 'stripe';
import { STRIPE_API_VERSION } from './api-version';

/** The endpoint wanted: where, and which events. */
export interface WebhookRegistration {
  url: string;
  /** Exactly the event types to receive. */
  events: readonly string[];
  description?: string;
}

/** The endpoint as registered, and what registering did. */
export interface RegisteredEndpoint {
  id: string;
  url: string;
  events: string[];
  apiVersion: string | null;
  /** created: new endpoint; updated: its event list was corrected; unchanged: already right. */
  action: 'created' | 'updated' | 'unchanged';
  /** Only for a new endpoint: Stripe shows a signing secret once, at creation. */
  secret?: string;
}

/** An endpoint already registered with a different API version; Stripe cannot change it in place. */
export class WebhookVersionMismatch extends Error {
  constructor(
    readonly endpointId: string,
    readonly found: string | null,
  ) {
    super(
      `webhook endpoint ${endpointId} is pinned to API version ${found ?? '(account default)'}, not ${STRIPE_API_VERSION}; delete it and register again`,
    );
    this.name = 'WebhookVersionMismatch';
  }
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join() === [...b].sort().join();

/**
 * Creates the webhook endpoint for `url` with exactly the given events and the pinned API version,
 * or finds it: an existing endpoint for the URL has its event list corrected; one pinned to
 * another API version is refused (the version of an endpoint is fixed at creation).
 */
export async function registerWebhookEndpoint(
  stripe: Stripe,
  registration: WebhookRegistration,
): Promise<RegisteredEndpoint> {
  const events = [...registration.events];
  let existing: Stripe.WebhookEndpoint | undefined;
  for await (const endpoint of stripe.webhookEndpoints.list({ limit: 100 })) {
    if (endpoint.url === registration.url) existing = endpoint;
  }
  if (!existing) {
    const created = await stripe.webhookEndpoints.create({
      url: registration.url,
      enabled_events: events as Stripe.WebhookEndpointCreateParams.EnabledEvent[],
      api_version: STRIPE_API_VERSION,
      description: registration.description ?? 'customer-sync',
    });
    return {
      id: created.id,
      url: created.url,
      events: created.enabled_events,
      apiVersion: created.api_version ?? null,
      action: 'created',
      secret: created.secret,
    };
  }
  if (existing.api_version !== STRIPE_API_VERSION)
    throw new WebhookVersionMismatch(existing.id, existing.api_version ?? null);
  if (sameSet(existing.enabled_events, events) && existing.status === 'enabled') {
    return {
      id: existing.id,
      url: existing.url,
      events: existing.enabled_events,
      apiVersion: existing.api_version,
      action: 'unchanged',
    };
  }
  const updated = await stripe.webhookEndpoints.update(existing.id, {
    enabled_events: events as Stripe.WebhookEndpointUpdateParams.EnabledEvent[],
    disabled: false,
  });
  return {
    id: updated.id,
    url: updated.url,
    events: updated.enabled_events,
    apiVersion: updated.api_version ?? null,
    action: 'updated',
  };
}
