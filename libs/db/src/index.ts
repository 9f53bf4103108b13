export * from './create-db';
export * from './stores/customer-row';
export * from './stores/shared-customer-store';
export * from './stores/retention-store';
export * from './retention';
