import { type RunningEmulator, emulatorControl, emulatorStripe, startTestEmulator } from '../src';

/** Starts an emulator and its SDK client for a test file (beforeAll), resets it before each test and stops it after (afterAll). */
export function useTestEmulator(options?: Parameters<typeof startTestEmulator>[0]) {
  const handle = {} as { emulator: RunningEmulator; stripe: ReturnType<typeof emulatorStripe> };
  beforeAll(async () => {
    handle.emulator = await startTestEmulator(options);
    handle.stripe = emulatorStripe(handle.emulator);
  });
  afterAll(() => handle.emulator.stop());
  beforeEach(() => emulatorControl(handle.emulator, 'reset'));
  return handle;
}
