export * from './topics';
export * from './envelope';
export * from './customer-fields';
export * from './customer-requested';
export * from './customer-sync-result';
export * from './stripe-event';
export * from './customer-api';
