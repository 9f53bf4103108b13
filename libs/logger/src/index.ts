export * from './correlation';
export * from './redact';
export * from './create-logger';
