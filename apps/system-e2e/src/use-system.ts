import { apiClient } from './api-client';
import { startSystem, type System } from './system';

/** Starts the system for a test file (beforeAll) and stops it after (afterAll). */
export function useSystem(options?: Parameters<typeof startSystem>[0]) {
  const handle = {} as { system: System; api: ReturnType<typeof apiClient> };
  beforeAll(async () => {
    handle.system = await startSystem(options);
    handle.api = apiClient(handle.system.api.url);
  }, 180_000);
  afterAll(() => handle.system?.stop(), 120_000);
  return handle;
}
