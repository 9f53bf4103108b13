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

/** The consumer groups of the system and the topics each consumes (base names, before any suffix). */
export const ConsumerGroups = {
  'stripe-sync-worker': ['customerRequested'],
  'db-writer': ['stripeEvents', 'customerSyncResults'],
} as const satisfies Record<string, readonly (keyof TopicMap)[]>;

/** The base name of one of the system's consumer groups. */
export type ConsumerGroup = keyof typeof ConsumerGroups;
