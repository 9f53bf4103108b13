import { CustomerRequested, makeEnvelope, type CustomerSyncResultPayload } from '@customer-sync/contracts';
import { publish, type SafeProducer, type TopicHandler } from '@customer-sync/kafka';
import type { Logger } from '@customer-sync/logger';
import { syncCustomer, type CustomerSyncDeps } from './customer-sync';

export interface RequestedHandlerOptions extends CustomerSyncDeps {
  producer: SafeProducer;
  resultsTopic: string;
  logger: Logger;
}

/** customer.requested → Stripe → customer.sync-results. The offset is committed only after the result is acknowledged. */
export function requestedHandler(options: RequestedHandlerOptions): TopicHandler<typeof CustomerRequested> {
  return {
    schema: CustomerRequested,
    async handle(request) {
      const outcome = await syncCustomer(options, request);
      const payload: CustomerSyncResultPayload = {
        customerId: request.payload.customerId,
        requestId: request.id,
        action: request.payload.action,
        version: request.payload.version,
        ...outcome,
      };
      const result = makeEnvelope('customer.sync-result', payload, { correlationId: request.correlationId });
      await publish(options.producer, options.resultsTopic, [{ key: payload.customerId, value: JSON.stringify(result) }]);
      options.logger.info('customer synced', { customerId: payload.customerId, action: payload.action, outcome: payload.outcome, stripeCustomerId: payload.stripeCustomerId });
    },
  };
}
