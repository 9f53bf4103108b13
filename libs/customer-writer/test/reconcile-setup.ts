import { startTestEmulator, type RunningEmulator } from '@customer-sync/stripe-emulator-core';
import { createTestDatabase, type TestDatabase } from '@customer-sync/testing';

/** A migrated database and a Stripe emulator for a reconcile test file (beforeAll), removed after (afterAll); both live for the whole file. */
export function useReconcileSetup() {
  const handle = {} as { database: TestDatabase; emulator: RunningEmulator };
  beforeAll(async () => {
    handle.database = await createTestDatabase();
    handle.emulator = await startTestEmulator();
  });
  afterAll(async () => {
    await handle.emulator.stop();
    await handle.database.drop();
  });
  return handle;
}
