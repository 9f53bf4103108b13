import { Topics } from '@customer-sync/contracts';

export type TopicMap = { [K in keyof typeof Topics]: string };

/** The topic names a deployment uses: the contract's names plus an optional suffix for isolation. */
export function resolveTopics(suffix = ''): TopicMap {
  const withSuffix = (name: string) => (suffix ? `${name}.${suffix}` : name);
  return {
    customerRequested: withSuffix(Topics.customerRequested),
    customerSyncResults: withSuffix(Topics.customerSyncResults),
    stripeEvents: withSuffix(Topics.stripeEvents),
  };
}

export const groupName = (base: string, suffix = '') => (suffix ? `${base}.${suffix}` : base);
