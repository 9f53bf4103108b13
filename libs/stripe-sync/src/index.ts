export * from './rate-limiter';
export * from './stripe-error-policy';
export * from './stripe-caller';
export * from './customer-sync';
export * from './requested-handler';
export * from './stripe-key-gate';
export * from './stripe-params';
