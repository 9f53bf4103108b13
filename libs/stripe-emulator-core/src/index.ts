export * from './start-emulator';
export * from './stripe-account';
export * from './customer-object';
export * from './emulator-state';
export * from './webhook-delivery';
export * from './webhook-signature';
export * from './fault-injection';
export * from './search-query';
