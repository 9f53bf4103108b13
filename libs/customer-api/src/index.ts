export * from './customer-service';
export * from './outbox-relay';
export * from './openapi-document';
export * from './page-cursor';
export * from './outbox-signal';
export * from './outbox-metrics';
export * from './customer-resync';
