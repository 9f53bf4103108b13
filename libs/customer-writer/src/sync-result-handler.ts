import { CustomerSyncResult } from '@customer-sync/contracts';
import { applySyncResult, type Db } from '@customer-sync/db';
import type { TopicHandler } from '@customer-sync/kafka';
import type { Logger } from '@customer-sync/logger';

/**
 * customer.sync-results → the row's Stripe id, sync status and error. The update is idempotent
 * (it sets values, guarded by version), so a redelivered result changes nothing.
 */
export function syncResultHandler(deps: { db: Db; logger: Logger }): TopicHandler<typeof CustomerSyncResult> {
  return {
    schema: CustomerSyncResult,
    async handle(result) {
      const updated = await applySyncResult(deps.db, result.payload);
      if (updated === 0) deps.logger.warn('sync result for an unknown customer', { customerId: result.payload.customerId });
    },
  };
}
