import type { Logger } from '@customer-sync/logger';
import { newCustomer, updateCustomer, type CustomerObject, type CustomerParams } from './customer-object';
import { emptyState, type EmulatorState, type EventObject, type WebhookEndpoint } from './emulator-state';
import { newId, nowSeconds } from './ids';
import { paginate, type ListParams } from './list-pagination';
import { parseSearchQuery } from './search-query';
import { SnapshotWriter } from './snapshot-writer';
import { invalidParam, resourceMissing } from './stripe-errors';
import { WebhookDelivery } from './webhook-delivery';

export const API_VERSION = '2026-07-29.dahlia';

export interface RequestInfo {
  requestId: string;
  idempotencyKey: string | null;
}

export interface CreatedFilter {
  gt?: unknown;
  gte?: unknown;
  lt?: unknown;
  lte?: unknown;
}

/** The emulated Stripe account: customers, events and webhook endpoints, with delivery on every change. */
export class StripeAccount {
  /** Added to the wall clock for event `created` times (tests: events in distinct or equal seconds at will). */
  private clockOffsetSeconds = 0;
  private readonly snapshots: SnapshotWriter | undefined;

  constructor(
    private state: EmulatorState,
    readonly delivery: WebhookDelivery,
    private readonly logger: Logger,
    snapshotFile?: string,
  ) {
    this.snapshots = snapshotFile ? new SnapshotWriter(snapshotFile, () => this.state, logger) : undefined;
  }

  /** Writes the snapshot file now if a change is pending (at stop). */
  async flushSnapshot(): Promise<void> {
    await this.snapshots?.flush();
  }

  createCustomer(params: CustomerParams, request: RequestInfo): CustomerObject {
    const customer = newCustomer(params);
    this.state.customers.push(customer);
    this.emit('customer.created', customer, request);
    return customer;
  }

  retrieveCustomer(id: string): CustomerObject | { id: string; object: 'customer'; deleted: true } {
    if (this.state.deletedIds.includes(id)) return { id, object: 'customer', deleted: true };
    return this.liveCustomer(id);
  }

  updateCustomer(id: string, params: CustomerParams, request: RequestInfo): CustomerObject {
    const current = this.liveCustomer(id);
    const { next, previous } = updateCustomer(current, params);
    this.replace(next);
    if (Object.keys(previous).length > 0) this.emit('customer.updated', next, request, previous);
    return next;
  }

  deleteCustomer(id: string, request: RequestInfo) {
    const customer = this.liveCustomer(id);
    this.state.deletedIds.push(id);
    // Like Stripe, customer.deleted carries the last full snapshot.
    this.emit('customer.deleted', customer, request);
    return { id, object: 'customer' as const, deleted: true as const };
  }

  listCustomers(params: ListParams & { email?: unknown; created?: unknown }) {
    const created =
      typeof params.created === 'object' && params.created !== null ? (params.created as CreatedFilter) : undefined;
    if (params.created !== undefined && !created) {
      const at = Number(params.created);
      if (!Number.isInteger(at)) throw invalidParam('created', 'Invalid timestamp');
    }
    const items = this.liveCustomersNewestFirst().filter(
      (c) =>
        (params.email === undefined || c.email === params.email) &&
        (params.created === undefined ||
          (created ? inRange(c.created, created) : c.created === Number(params.created))),
    );
    return { object: 'list' as const, url: '/v1/customers', ...paginate(items, params, 'customer') };
  }

  searchCustomers(query: string, limitRaw: unknown, page: unknown) {
    const matches = this.liveCustomersNewestFirst().filter(parseSearchQuery(query));
    const offset = page === undefined ? 0 : Number(Buffer.from(String(page), 'base64url').toString());
    if (!Number.isInteger(offset) || offset < 0) throw invalidParam('page', 'Invalid page token');
    const { data } = paginate(matches.slice(offset), { limit: limitRaw }, 'customer');
    const next = offset + data.length;
    const hasMore = next < matches.length;
    return {
      object: 'search_result' as const,
      url: '/v1/customers/search',
      data,
      has_more: hasMore,
      next_page: hasMore ? Buffer.from(String(next)).toString('base64url') : null,
      total_count: matches.length,
    };
  }

  listEvents(params: ListParams & { type?: unknown }) {
    const items = [...this.state.events]
      .reverse()
      .filter((e) => params.type === undefined || matchesType(String(params.type), e.type));
    return { object: 'list' as const, url: '/v1/events', ...paginate(items, params, 'event') };
  }

  retrieveEvent(id: string): EventObject {
    const event = this.state.events.find((e) => e.id === id);
    if (!event) throw resourceMissing('event', id);
    return event;
  }

  createWebhookEndpoint(params: WebhookEndpointParams & { secret?: string }): WebhookEndpoint {
    if (typeof params.url !== 'string' || !/^https?:\/\//.test(params.url))
      throw invalidParam('url', 'Invalid URL: must be http(s)');
    const endpoint: WebhookEndpoint = {
      id: newId('we'),
      object: 'webhook_endpoint',
      url: params.url,
      enabled_events: enabledEventsOf(params.enabled_events),
      secret: params.secret ?? newId('whsec', 32),
      status: 'enabled',
      created: nowSeconds(),
      livemode: false,
      metadata: {},
      api_version: apiVersionOf(params.api_version),
      description: typeof params.description === 'string' ? params.description : null,
    };
    this.state.endpoints.push(endpoint);
    this.persist();
    return endpoint;
  }

  /** Like Stripe: url, enabled_events, description and disabled can change; the API version cannot. */
  updateWebhookEndpoint(
    id: string,
    params: WebhookEndpointParams & { disabled?: unknown },
  ): Omit<WebhookEndpoint, 'secret'> {
    const current = this.state.endpoints.find((e) => e.id === id);
    if (!current) throw resourceMissing('webhook endpoint', id);
    if (params.api_version !== undefined) throw invalidParam('api_version', 'Received unknown parameter: api_version');
    if (params.url !== undefined && (typeof params.url !== 'string' || !/^https?:\/\//.test(params.url)))
      throw invalidParam('url', 'Invalid URL: must be http(s)');
    if (typeof params.url === 'string') current.url = params.url;
    if (params.enabled_events !== undefined) current.enabled_events = enabledEventsOf(params.enabled_events);
    if (typeof params.description === 'string') current.description = params.description;
    if (params.disabled !== undefined) current.status = String(params.disabled) === 'true' ? 'disabled' : 'enabled';
    this.persist();
    return this.retrieveWebhookEndpoint(id);
  }

  retrieveWebhookEndpoint(id: string): Omit<WebhookEndpoint, 'secret'> {
    const endpoint = this.state.endpoints.find((e) => e.id === id);
    if (!endpoint) throw resourceMissing('webhook endpoint', id);
    const { secret: _hidden, ...rest } = endpoint;
    return rest;
  }

  listWebhookEndpoints(params: ListParams) {
    const items = [...this.state.endpoints].reverse().map(({ secret: _hidden, ...rest }) => rest);
    return { object: 'list' as const, url: '/v1/webhook_endpoints', ...paginate(items, params, 'webhook endpoint') };
  }

  deleteWebhookEndpoint(id: string) {
    this.retrieveWebhookEndpoint(id);
    this.state.endpoints = this.state.endpoints.filter((e) => e.id !== id);
    this.persist();
    return { id, object: 'webhook_endpoint' as const, deleted: true as const };
  }

  idempotent(key: string) {
    return this.state.idempotency[key];
  }

  saveIdempotent(key: string, fingerprint: string, status: number, body: unknown) {
    this.state.idempotency[key] = { fingerprint, status, body };
    this.persist();
  }

  /** Moves this account's clock forward (tests only; in-process). */
  advanceClock(seconds: number): void {
    this.clockOffsetSeconds += seconds;
  }

  reset(): void {
    this.clockOffsetSeconds = 0;
    this.state = emptyState();
    this.delivery.reset();
    this.persist();
  }

  markDelivered(event: EventObject): void {
    const stored = this.state.events.find((e) => e.id === event.id);
    if (stored && stored.pending_webhooks > 0) stored.pending_webhooks--;
  }

  private liveCustomer(id: string): CustomerObject {
    const customer = this.state.customers.find((c) => c.id === id);
    if (!customer || this.state.deletedIds.includes(id)) throw resourceMissing('customer', id);
    return customer;
  }

  private liveCustomersNewestFirst(): CustomerObject[] {
    const deleted = new Set(this.state.deletedIds);
    return this.state.customers.filter((c) => !deleted.has(c.id)).reverse();
  }

  private replace(customer: CustomerObject) {
    this.state.customers = this.state.customers.map((c) => (c.id === customer.id ? customer : c));
  }

  private emit(type: string, object: CustomerObject, request: RequestInfo, previous?: Record<string, unknown>) {
    const endpoints = this.state.endpoints.filter(
      (e) => e.status === 'enabled' && e.enabled_events.some((p) => matchesType(p, type)),
    );
    const event: EventObject = {
      id: newId('evt', 24),
      object: 'event',
      api_version: API_VERSION,
      created: nowSeconds() + this.clockOffsetSeconds,
      data: {
        object: structuredClone(object) as unknown as Record<string, unknown>,
        ...(previous && { previous_attributes: previous }),
      },
      livemode: false,
      pending_webhooks: endpoints.length,
      request: { id: request.requestId, idempotency_key: request.idempotencyKey },
      type,
    };
    this.state.events.push(event);
    this.persist();
    this.logger.debug('event emitted', { eventId: event.id, type });
    this.delivery.enqueue(event, endpoints);
  }

  private persist() {
    this.snapshots?.schedule();
  }
}

interface WebhookEndpointParams {
  url?: unknown;
  enabled_events?: unknown;
  api_version?: unknown;
  description?: unknown;
}

function enabledEventsOf(raw: unknown): string[] {
  const events = Array.isArray(raw) ? raw.map(String) : undefined;
  if (!events || events.length === 0) throw invalidParam('enabled_events', 'Missing required param: enabled_events.');
  return events;
}

/** Stripe versions look like 2026-10-28.endive; events delivered to the endpoint carry the one it is pinned to. */
function apiVersionOf(raw: unknown): string | null {
  if (raw === undefined || raw === '') return null;
  if (typeof raw !== 'string' || !/^\d{4}-\d{2}-\d{2}(\.[a-z]+)?$/.test(raw))
    throw invalidParam('api_version', `Invalid API version: ${String(raw)}`);
  return raw;
}

function matchesType(pattern: string, type: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('.*')) return type.startsWith(pattern.slice(0, -1));
  return pattern === type;
}

function inRange(value: number, range: CreatedFilter): boolean {
  const n = (v: unknown) => (v === undefined ? undefined : Number(v));
  const [gt, gte, lt, lte] = [n(range.gt), n(range.gte), n(range.lt), n(range.lte)];
  return (
    (gt === undefined || value > gt) &&
    (gte === undefined || value >= gte) &&
    (lt === undefined || value < lt) &&
    (lte === undefined || value <= lte)
  );
}
