export * from './app-errors';
export * from './permanent-error';
export * from './backoff';
export * from './shutdown';
export * from './run-service';
