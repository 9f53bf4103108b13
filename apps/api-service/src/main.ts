import { ApiServiceEnv, loadConfig } from '@customer-sync/config';
import { exitOnStartFailure, stopOnSignals } from '@customer-sync/http';
import { createServiceLogger, type Logger } from '@customer-sync/logger';
import { start } from './service';

async function main() {
  let logger: Logger | undefined;
  try {
    const config = loadConfig(ApiServiceEnv);
    logger = createServiceLogger('api-service', config);
    stopOnSignals(await start(config, logger), logger, config.SHUTDOWN_TIMEOUT_MS);
  } catch (error) {
    exitOnStartFailure(logger, error);
  }
}

void main();
