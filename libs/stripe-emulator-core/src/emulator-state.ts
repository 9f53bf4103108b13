import { existsSync, readFileSync } from 'node:fs';
import type { CustomerObject } from './customer-object';

export interface EventObject {
  id: string;
  object: 'event';
  api_version: string;
  created: number;
  data: { object: Record<string, unknown>; previous_attributes?: Record<string, unknown> };
  livemode: false;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  type: string;
}

export interface WebhookEndpoint {
  id: string;
  object: 'webhook_endpoint';
  url: string;
  enabled_events: string[];
  secret: string;
  status: 'enabled' | 'disabled';
  created: number;
  livemode: false;
  metadata: Record<string, string>;
  api_version: string | null;
  description: string | null;
}

export interface SavedResponse {
  fingerprint: string;
  status: number;
  body: unknown;
}

/** Everything the emulator knows; plain data so it can be saved to and loaded from a file. */
export interface EmulatorState {
  /** Newest last; deleted customers stay here with their last snapshot. */
  customers: CustomerObject[];
  deletedIds: string[];
  /** Newest last. */
  events: EventObject[];
  endpoints: WebhookEndpoint[];
  idempotency: Record<string, SavedResponse>;
}

export const emptyState = (): EmulatorState => ({
  customers: [],
  deletedIds: [],
  events: [],
  endpoints: [],
  idempotency: {},
});

export function loadState(file: string | undefined): EmulatorState {
  if (!file || !existsSync(file)) return emptyState();
  return { ...emptyState(), ...(JSON.parse(readFileSync(file, 'utf8')) as EmulatorState) };
}
