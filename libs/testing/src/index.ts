export * from './test-env';
export * from './test-database';
export * from './test-kafka';
export * from './wait-for';
export * from './silent-logger';
export * from './emulator';
export * from './service-env';
export * from './signed-event';
