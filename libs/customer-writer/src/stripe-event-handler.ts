import { StripeEventReceived } from '@customer-sync/contracts';
import type { TopicHandler } from '@customer-sync/kafka';
import { applyStripeEvents, type ApplierDeps } from './stripe-event-applier';

/** stripe.events → PostgreSQL; a whole partition batch is applied in one transaction when it parses. */
export function stripeEventHandler(deps: ApplierDeps): TopicHandler<typeof StripeEventReceived> {
  return {
    schema: StripeEventReceived,
    handle: (message) => applyStripeEvents(deps, [message.payload.event]),
    handleMany: (messages) =>
      applyStripeEvents(
        deps,
        messages.map((m) => m.value.payload.event),
      ),
  };
}
