import { createLogger } from '@customer-sync/logger';
import { loadConfig } from '@customer-sync/config';
import { z } from 'zod';

const { TEST_LOG_LEVEL } = loadConfig(z.object({ TEST_LOG_LEVEL: z.string().optional() }));

/** Quiet in tests unless TEST_LOG_LEVEL asks for output. */
export const testLogger = (service = 'test') =>
  createLogger({ service, level: TEST_LOG_LEVEL ?? 'error', silent: !TEST_LOG_LEVEL, format: 'pretty' });
