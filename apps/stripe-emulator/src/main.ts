import { StripeEmulatorEnv } from '@customer-sync/config';
import { runService } from '@customer-sync/service-core';
import { startEmulator } from '@customer-sync/stripe-emulator-core';

void runService('stripe-emulator', StripeEmulatorEnv, startEmulator);
