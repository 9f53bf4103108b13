import type { Knex } from 'knex';
import { CustomerRequested } from '@customer-sync/contracts';
import type { OutboxRow } from '@customer-sync/customer-api-data';
import { applySyncResult } from '@customer-sync/db';
import type { MessageTooLargeError } from '@customer-sync/kafka';
import type { Logger } from '@customer-sync/logger';

/**
 * An outbox entry whose message can never fit its topic: retrying it would hold back every later
 * entry for good. Its customer is marked `failed` with the reason, inside the relay's transaction
 * (the next API write of the customer queues it again), and the entry counts as handled.
 */
export async function refuseOversizedEntry(
  trx: Knex.Transaction,
  row: OutboxRow,
  error: MessageTooLargeError,
  logger: Logger,
): Promise<void> {
  const command = CustomerRequested.safeParse(row.message);
  logger.error('outbox entry can never fit its topic; its customer is marked failed', {
    outboxId: row.id,
    topic: row.topic,
    sizeBytes: error.sizeBytes,
    limitBytes: error.limitBytes,
  });
  if (!command.success) return;
  const { customerId, action, version } = command.data.payload;
  await applySyncResult(trx, {
    customerId,
    requestId: command.data.id,
    action,
    version,
    outcome: 'failed',
    stripeCustomerId: null,
    error: {
      code: error.code,
      message: `the change is too large to send (${error.sizeBytes} bytes, limit ${error.limitBytes})`,
    },
  });
}
