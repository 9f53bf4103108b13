export * from './stripe-customer-store';
export * from './processed-event-store';
export * from './reconcile-store';
export * from './relink-store';
export * from './stripe-row-batch-store';
