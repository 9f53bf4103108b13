export * from './create-stripe-client';
export * from './customer-snapshot';
export * from './key-mode';
