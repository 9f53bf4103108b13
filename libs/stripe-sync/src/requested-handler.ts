import { CustomerRequested, makeEnvelope, type CustomerSyncResultPayload } from '@customer-sync/contracts';
import { BatchingPublisher, ConsumptionPaused, type SafeProducer, type TopicHandler } from '@customer-sync/kafka';
import type { Logger } from '@customer-sync/logger';
import { syncCustomer, type CustomerSyncDeps } from './customer-sync';
import { StripeKeyRefused } from './stripe-caller';
import type { StripeKeyGate } from './stripe-key-gate';

export interface RequestedHandlerOptions extends CustomerSyncDeps {
  producer: SafeProducer;
  resultsTopic: string;
  logger: Logger;
  /** Pauses consumption while Stripe refuses the key; without it a refusal fails the handler as any error does. */
  keyGate?: StripeKeyGate;
}

/** Runs one Stripe sync behind the key gate: a refused key pauses the partition instead of failing the customer. */
async function syncBehindGate(options: RequestedHandlerOptions, request: CustomerRequested) {
  const gate = options.keyGate;
  const refused = gate?.refusal();
  if (gate && refused) throw new ConsumptionPaused(refused, gate.whenAccepted());
  try {
    return await syncCustomer(options, request);
  } catch (error) {
    if (!(gate && error instanceof StripeKeyRefused)) throw error;
    gate.refuse(error.message);
    throw new ConsumptionPaused(error.message, gate.whenAccepted());
  }
}

/**
 * customer.requested → Stripe → customer.sync-results. `handle` resolves only once Kafka
 * acknowledged the result, so the offset (committed after it) never gets ahead of the result.
 * Results of commands handled at once share produce requests (BatchingPublisher: while one request
 * is in flight the next ones queue, then go out together). While Stripe refuses our key, no result
 * is published and nothing is committed: the command waits for the key (see StripeKeyGate).
 */
export function requestedHandler(options: RequestedHandlerOptions): TopicHandler<typeof CustomerRequested> {
  const results = new BatchingPublisher(options.producer, options.resultsTopic);
  return {
    schema: CustomerRequested,
    async handle(request) {
      const outcome = await syncBehindGate(options, request);
      const payload: CustomerSyncResultPayload = {
        customerId: request.payload.customerId,
        requestId: request.id,
        action: request.payload.action,
        version: request.payload.version,
        requestedAt: request.occurredAt,
        ...outcome,
      };
      const result = makeEnvelope('customer.sync-result', payload, { correlationId: request.correlationId });
      await results.publish({ key: payload.customerId, value: JSON.stringify(result) });
      options.logger.info('customer synced', {
        customerId: payload.customerId,
        action: payload.action,
        outcome: payload.outcome,
        stripeCustomerId: payload.stripeCustomerId,
      });
    },
  };
}
