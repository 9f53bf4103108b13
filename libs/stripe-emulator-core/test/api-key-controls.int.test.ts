import { emulatorControl, emulatorStripe, TEST_STRIPE_KEY } from '../src';
import { useTestEmulator } from './use-test-emulator';

const ctx = useTestEmulator();

const failureOf = (call: Promise<unknown>) =>
  call.then(
    () => undefined,
    (error: unknown) => error as { statusCode: number; type: string; code?: string; message: string },
  );

describe('/_emulator/api-keys: refusing a key as Stripe does', () => {
  it('answers a revoked key with 401 api_key_expired (StripeAuthenticationError in the SDK), masking the key', async () => {
    await emulatorControl(ctx.emulator, 'api-keys', { revoked: [TEST_STRIPE_KEY] });
    const error = await failureOf(emulatorStripe(ctx.emulator).customers.list({ limit: 1 }));
    expect(error).toMatchObject({ statusCode: 401, type: 'StripeAuthenticationError', code: 'api_key_expired' });
    expect(error!.message).toMatch(/^Expired API Key provided: sk_test_\*+\w{4}/);
    expect(error!.message).not.toContain(TEST_STRIPE_KEY);
  });

  it('answers a forbidden key with 403 (StripePermissionError in the SDK)', async () => {
    await emulatorControl(ctx.emulator, 'api-keys', { forbidden: [TEST_STRIPE_KEY] });
    const error = await failureOf(emulatorStripe(ctx.emulator).customers.create({ email: 'a@example.com' }));
    expect(error).toMatchObject({ statusCode: 403, type: 'StripePermissionError' });
    expect(error!.message).toMatch(/does not have the required permissions/);
  });

  it('leaves other keys working, and accepts the key again once restored (or after reset)', async () => {
    await emulatorControl(ctx.emulator, 'api-keys', { revoked: ['sk_test_someoneelse000000'] });
    expect((await emulatorStripe(ctx.emulator).customers.list({ limit: 1 })).object).toBe('list');
    await emulatorControl(ctx.emulator, 'api-keys', { revoked: [TEST_STRIPE_KEY] });
    await emulatorControl(ctx.emulator, 'api-keys', { revoked: [] });
    expect((await emulatorStripe(ctx.emulator).customers.list({ limit: 1 })).object).toBe('list');
    await emulatorControl(ctx.emulator, 'api-keys', { forbidden: [TEST_STRIPE_KEY] });
    await emulatorControl(ctx.emulator, 'reset');
    expect((await emulatorStripe(ctx.emulator).customers.list({ limit: 1 })).object).toBe('list');
  });
});
