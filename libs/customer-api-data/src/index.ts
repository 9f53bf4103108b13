export * from './customer-store';
export * from './outbox-store';
export * from './idempotency-store';
export * from './history-store';
