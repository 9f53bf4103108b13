import express from 'express';
import type { StripeEmulatorConfig } from '@customer-sync/config';
import { createMetricsRegistry, healthRoutes, listen, type RunningServer } from '@customer-sync/http';
import type { Logger } from '@customer-sync/logger';
import { adminRoutes } from './admin-routes';
import { allKeysAccepted } from './api-keys';
import { apiRoutes, stripeErrorHandler } from './api-routes';
import { loadState } from './emulator-state';
import { faultInjection, noFaults } from './fault-injection';
import { StripeAccount } from './stripe-account';
import { WebhookDelivery } from './webhook-delivery';

export type EmulatorOptions = Pick<
  StripeEmulatorConfig,
  | 'PORT'
  | 'STRIPE_WEBHOOK_URL'
  | 'STRIPE_WEBHOOK_SECRET'
  | 'EMULATOR_RETRY_SCHEDULE_MS'
  | 'EMULATOR_DELIVERY_TIMEOUT_MS'
  | 'EMULATOR_ADMIN'
  | 'EMULATOR_SNAPSHOT_FILE'
>;

export interface RunningEmulator {
  url: string;
  port: number;
  account: StripeAccount;
  stop(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions, logger: Logger): Promise<RunningEmulator> {
  const delivery: WebhookDelivery = new WebhookDelivery({
    retryScheduleMs: options.EMULATOR_RETRY_SCHEDULE_MS,
    timeoutMs: options.EMULATOR_DELIVERY_TIMEOUT_MS,
    logger,
    onDelivered: (event) => account.markDelivered(event),
  });
  const account: StripeAccount = new StripeAccount(
    loadState(options.EMULATOR_SNAPSHOT_FILE),
    delivery,
    logger,
    options.EMULATOR_SNAPSHOT_FILE,
  );
  if (options.STRIPE_WEBHOOK_URL) {
    account.createWebhookEndpoint({
      url: options.STRIPE_WEBHOOK_URL,
      enabled_events: ['*'],
      secret: options.STRIPE_WEBHOOK_SECRET,
      description: 'from STRIPE_WEBHOOK_URL',
    });
  }

  const faults = noFaults();
  const keys = allKeysAccepted();
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'extended');
  app.use(healthRoutes({ checks: [], registry: createMetricsRegistry('stripe-emulator') }));
  if (options.EMULATOR_ADMIN) app.use(adminRoutes(account, faults, keys));
  app.use(
    apiRoutes(
      account,
      faultInjection(() => faults),
      keys,
    ),
  );
  app.use(stripeErrorHandler());

  const server: RunningServer = await listen(app, options.PORT);
  logger.info('stripe emulator listening', { url: server.url, admin: options.EMULATOR_ADMIN });
  return {
    url: server.url,
    port: server.port,
    account,
    async stop() {
      await delivery.stop();
      await server.close(2000);
      await account.flushSnapshot();
    },
  };
}
