import { Kafka, logLevel } from 'kafkajs';
import { dedicatedBroker, readTopic, testLogger, uniqueSuffix, waitFor } from '@customer-sync/testing';
import {
  BatchingPublisher,
  createIdempotentProducer,
  createKafkaClient,
  ensureTopics,
  readTopicLimits,
  type SafeProducer,
} from '../src';

// A broker of this file's own: the shared one is never restarted.
const broker = dedicatedBroker(19292);
const logger = testLogger('broker-restart');
const kafka = createKafkaClient({ brokers: [broker.brokers], clientId: 'broker-restart-test', logger });
const reader = () =>
  new Kafka({ clientId: 'broker-restart-reader', brokers: [broker.brokers], logLevel: logLevel.NOTHING });

type Outcome = { id: string; ok: boolean; at: number };

beforeAll(async () => {
  await broker.destroy();
  await broker.start();
}, 180_000);
afterAll(async () => {
  await broker.destroy();
}, 120_000);

/** Callers publishing one message after another, each with its own key, until stopped. */
function publishContinuously(publisher: BatchingPublisher, callers: number) {
  const outcomes: Outcome[] = [];
  let running = true;
  const loops = Array.from({ length: callers }, async (_, caller) => {
    for (let n = 0; running; n++) {
      const id = `${caller}-${n}`;
      const ok = await publisher.publish({ key: `key-${caller}`, value: `message ${id}`, headers: { id } }).then(
        () => true,
        () => false,
      );
      outcomes.push({ id, ok, at: Date.now() });
      if (!ok) await new Promise((r) => setTimeout(r, 100));
    }
  });
  return {
    outcomes,
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}

describe('the idempotent producer across a broker restart', () => {
  // Killed, the broker may have appended a request it never answered; down longer than the client's
  // retries, that request fails for good while its messages are stored.
  // Stopped gracefully, the broker may come back within the client's retries, so no request need fail.
  it.each([
    ['stopped gracefully', async () => broker.stop(), false],
    [
      'killed mid-request and down past the client retries',
      async () => {
        await broker.kill();
        await new Promise((r) => setTimeout(r, 20_000));
      },
      true,
    ],
  ])(
    '%s: every acknowledged message is stored (and requests caught by a long outage fail back to their callers)',
    async (_, bringDown, failuresExpected) => {
      const topic = `broker-restart.${uniqueSuffix()}`;
      await ensureTopics(kafka, [topic], { partitions: 6, replicationFactor: 1, withDlq: false });
      const producer: SafeProducer = createIdempotentProducer(kafka, {
        logger,
        limits: await readTopicLimits(kafka, [topic]),
      });
      await producer.connect();
      const load = publishContinuously(new BatchingPublisher(producer, topic), 12);
      try {
        await waitFor(() => load.outcomes.filter((o) => o.ok).length > 200, { what: 'load before the restart' });
        // A graceful stop takes seconds: the requests it fails may fail while it is still stopping.
        const downAt = Date.now();
        await bringDown();
        await broker.start();
        if (failuresExpected)
          await waitFor(() => load.outcomes.some((o) => o.at > downAt && !o.ok), {
            what: 'a publish failed by the restart',
            timeoutMs: 60_000,
          });
        const backAt = Date.now();
        await waitFor(() => load.outcomes.filter((o) => o.at > backAt && o.ok).length > 200, {
          what: 'acknowledgements after the restart',
          timeoutMs: 90_000,
        });
      } finally {
        await load.stop();
        await producer.disconnect();
      }

      const stored = new Set((await readTopic(reader(), topic, 60_000)).map((m) => m.headers?.id?.toString()));
      const acked = load.outcomes.filter((o) => o.ok);
      expect(acked.filter((o) => !stored.has(o.id)).map((o) => o.id)).toEqual([]);
      if (failuresExpected) expect(load.outcomes.some((o) => !o.ok)).toBe(true);
    },
    300_000,
  );
});
