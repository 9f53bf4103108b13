export * from './create-stripe-client';
export * from './customer-snapshot';
export * from './key-mode';
export * from './api-version';
export * from './webhook-endpoint';
