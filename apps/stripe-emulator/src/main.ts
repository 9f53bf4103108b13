import { loadConfig, StripeEmulatorEnv } from '@customer-sync/config';
import { exitOnStartFailure, stopOnSignals } from '@customer-sync/http';
import { createServiceLogger, type Logger } from '@customer-sync/logger';
import { startEmulator } from '@customer-sync/stripe-emulator-core';

async function main() {
  let logger: Logger | undefined;
  try {
    const config = loadConfig(StripeEmulatorEnv);
    logger = createServiceLogger('stripe-emulator', config);
    const emulator = await startEmulator(config, logger);
    stopOnSignals(emulator, logger, config.SHUTDOWN_TIMEOUT_MS);
  } catch (error) {
    exitOnStartFailure(logger, error);
  }
}

void main();
