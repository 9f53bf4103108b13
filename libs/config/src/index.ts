export * from './load-config';
export * from './env-fields';
export * from './service-configs';
export * from './kafka-security-env';
export * from './kafka-client-security';
export * from './cli-configs';
