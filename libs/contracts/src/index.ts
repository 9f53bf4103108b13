export * from './topics';
export * from './envelope';
export * from './customer-profile';
export * from './customer-fields';
export * from './storable-text';
export * from './customer-requested';
export * from './customer-sync-result';
export * from './stripe-event';
export * from './customer-api';
export * from './stripe-customer-limits';
export * from './stripe-field-schemas';
export * from './profile-values';
export * from './profile-api';
// Both the limits table's blocks and the synced-field list name a `StripeMetadata`: the package's is
// Stripe's rule (limits); customer-profile.ts keeps its full-range record for its own use.
export { StripeMetadata } from './stripe-field-schemas';
