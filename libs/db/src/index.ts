export * from './create-db';
export * from './stores/customer-row';
export * from './stores/customer-store';
export * from './stores/outbox-store';
export * from './stores/idempotency-store';
export * from './stores/processed-event-store';
export * from './stores/stripe-customer-store';
export * from './stores/reconcile-store';
