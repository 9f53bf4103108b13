import { notifyOutbox } from '@customer-sync/customer-api-data';
import type { Db } from '@customer-sync/db';
import type { Logger } from '@customer-sync/logger';

/**
 * Signals committed outbox entries: wakes this process's relay at once and sends one NOTIFY for
 * other replicas — coalesced, so a burst of writes costs one NOTIFY per round trip, not one each.
 */
export function createOutboxSignal(options: { db: Db; wakeLocalRelay: () => void; logger: Logger }) {
  let sending = false;
  let again = false;
  const send = async (): Promise<void> => {
    sending = true;
    do {
      again = false;
      await notifyOutbox(options.db).catch((error) =>
        options.logger.warn('outbox NOTIFY failed; relays fall back to polling', { error }),
      );
    } while (again);
    sending = false;
  };
  return () => {
    options.wakeLocalRelay();
    if (sending) again = true;
    else void send();
  };
}
