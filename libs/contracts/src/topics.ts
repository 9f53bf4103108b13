/** Every Kafka topic of the system; services never spell a topic name themselves. */
export const Topics = {
  customerRequested: 'customer.requested',
  customerSyncResults: 'customer.sync-results',
  stripeEvents: 'stripe.events',
} as const;

export type Topic = (typeof Topics)[keyof typeof Topics];

export const dlqTopicOf = (topic: string): string => `${topic}.dlq`;
