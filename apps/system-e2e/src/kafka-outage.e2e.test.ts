import { dedicatedBroker, waitFor } from '@customer-sync/testing';
import { apiClient } from './api-client';
import { startSystem, type System } from './system';

// This file stops and starts Kafka, so it runs against a broker of its own.
const broker = dedicatedBroker(19092);
let system: System;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  await broker.destroy();
  await broker.start();
  system = await startSystem({
    brokers: broker.brokers,
    env: { KAFKA_PUBLISH_TIMEOUT_MS: '1500' },
    retryScheduleMs: [1000, 2000, 3000, 5000, 8000, 13000, 21000],
  });
  api = apiClient(system.api.url);
}, 180_000);
afterAll(async () => {
  await system?.stop();
  await broker.destroy();
}, 120_000);

describe('Kafka down', () => {
  it('the API still answers 202, the ingress answers 503, and everything lands once Kafka is back', async () => {
    await broker.stop();

    const accepted = [];
    for (let i = 0; i < 3; i++)
      accepted.push(await api.create({ name: `Outage ${i}`, email: `outage${i}@example.com` }));
    expect(accepted.map((r) => r.status)).toEqual([202, 202, 202]);

    const dashboard = await system.stripe.customers.create({ name: 'Made During Outage', email: 'during@example.com' });
    await waitFor(() => system.emulator.account.delivery.attempts.some((a) => a.status === 503), {
      what: 'ingress answered 503',
      timeoutMs: 20_000,
    });
    expect(await system.database.db('customers').where({ stripe_customer_id: dashboard.id }).first()).toBeUndefined();

    await broker.start();

    for (const { body } of accepted) {
      await waitFor(async () => (await api.get(body.id)).body.syncStatus === 'synced', {
        what: `customer ${body.id} synced after Kafka returned`,
        timeoutMs: 90_000,
      });
      expect(await system.stripeCustomersOf(body.id)).toHaveLength(1);
    }
    const landed = await waitFor(
      () => system.database.db('customers').where({ stripe_customer_id: dashboard.id }).first(),
      {
        what: 'webhook landed through the emulator’s retry',
        timeoutMs: 90_000,
      },
    );
    expect(landed).toMatchObject({ origin: 'stripe', name: 'Made During Outage' });
  }, 180_000); // a broker stop and restart on a busy 2-core machine can take most of a minute
});
