// A consumer in its own process, for the crash test: it reports each message it starts, then hangs
// in the handler so the test can kill it before the handler finishes.
import { createKafkaClient, createIdempotentProducer, startConsumer } from '../src';
import { createLogger } from '@customer-sync/logger';
import { z } from 'zod';

const [topic, groupId, brokers] = process.argv.slice(2) as [string, string, string];
const logger = createLogger({ service: 'consumer-child', silent: true });
const kafka = createKafkaClient({ brokers: brokers.split(','), clientId: 'consumer-child', logger });

async function main() {
  const producer = createIdempotentProducer(kafka);
  await producer.connect();
  await startConsumer({
    kafka,
    groupId,
    producer,
    logger,
    maxAttempts: 1,
    sessionTimeoutMs: 6000,
    backoff: { baseMs: 10, maxMs: 10 },
    handlers: {
      [topic]: {
        schema: z.object({ payload: z.unknown() }).loose(),
        handle: async (value) => {
          process.stdout.write(`started ${JSON.stringify(value)}\n`);
          await new Promise(() => undefined);
        },
      },
    },
  });
}

void main();
