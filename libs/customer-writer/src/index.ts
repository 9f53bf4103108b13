export * from './ordering-rule';
export * from './batch-plan';
export * from './customer-event-types';
export * from './stripe-event-applier';
export * from './stripe-event-handler';
export * from './sync-result-handler';
export * from './reconcile';
