export * from './signature-verifier';
export * from './stripe-event-message';
export * from './ingress-metrics';
export * from './webhook-handler';
export * from './event-size-limit';
export * from './signature-header';
export * from './unavailable-handler';
export * from './event-ids';
