import { createHash } from 'node:crypto';
import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { dlqTopicOf, makeEnvelope } from '@customer-sync/contracts';
import { PermanentError } from '@customer-sync/service-core';
import { readTopic, testKafka, waitFor } from '@customer-sync/testing';
import { DlqHeaders, publish, startConsumer } from '../src';
import { useKafkaTestClient, newTopic } from './kafka-test-setup';

const { logger, kafka, producer, running } = useKafkaTestClient('dead-letter-keys-test');
const Item = z.object({ id: z.string(), payload: z.object({ n: z.number() }) }).loose();

let health: Server;
let healthUrl: string;

beforeAll(async () => {
  // Stands for the service's /health: it answers only while the event loop is free.
  health = createServer((_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => health.listen(0, '127.0.0.1', resolve));
  healthUrl = `http://127.0.0.1:${(health.address() as AddressInfo).port}/health`;
});
afterAll(async () => {
  await new Promise((resolve) => health.close(resolve));
});

const item = (n: number, key: string | Buffer) => ({
  key,
  value: JSON.stringify(makeEnvelope('item', { n }, { correlationId: `c${n}` })),
});
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Polls /health every 100 ms and records every answer that took longer than 2 s or never came. */
function watchHealth() {
  const slow: number[] = [];
  let stopped = false;
  const poll = async () => {
    while (!stopped) {
      const started = Date.now();
      await new Promise<void>((resolve) =>
        get(healthUrl, { timeout: 2000 }, (res) => res.resume().on('end', resolve))
          .on('error', () => resolve())
          .on('timeout', () => resolve()),
      );
      if (Date.now() - started > 2000) slow.push(Date.now() - started);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const done = poll();
  return { slow, stop: async () => ((stopped = true), await done) };
}

describe('dead letters with huge or binary keys', () => {
  it('dead-letters a 400 KB binary key whole and a ~1 MB key truncated, processes the message behind each and keeps answering /health', async () => {
    const topic = await newTopic(kafka, 'dead-letter-keys');
    const done: number[] = [];
    const crashes: unknown[] = [];
    running.push(
      await startConsumer({
        kafka,
        groupId: `g-${topic}`,
        producer,
        logger,
        maxAttempts: 1,
        backoff: { baseMs: 10, maxMs: 20 },
        onFatal: (error) => crashes.push(error),
        handlers: {
          [topic]: {
            schema: Item,
            handle: async (value: z.infer<typeof Item>) => {
              if (value.payload.n % 2 === 0) throw new PermanentError(`rejected: ${'r'.repeat(3000)}`);
              done.push(value.payload.n);
            },
          },
        },
      }),
    );
    const binaryKey = Buffer.alloc(400_000, 0xff);
    const hugeKey = Buffer.alloc(1_047_000, 0x61);
    const watch = watchHealth();

    await publish(producer, topic, [item(2, binaryKey)]);
    await publish(producer, topic, [item(1, 'k')]);
    await publish(producer, topic, [item(4, hugeKey)]);
    await publish(producer, topic, [item(3, 'k')]);
    await waitFor(() => done.length === 2, {
      what: 'the messages behind the poison ones processed',
      timeoutMs: 60_000,
    });
    await watch.stop();

    expect(done).toEqual([1, 3]);
    expect(crashes).toEqual([]);
    expect(watch.slow).toEqual([]);
    const letters = await readTopic(testKafka(), dlqTopicOf(topic));
    const header = (m: (typeof letters)[number], name: string) => m.headers?.[name]?.toString();
    const [binary, huge] = [...letters].sort(
      (a, b) => Number(header(a, DlqHeaders.sourceOffset)) - Number(header(b, DlqHeaders.sourceOffset)),
    );
    expect(letters).toHaveLength(2);
    // The binary key is kept byte for byte, never re-encoded as text.
    expect(Buffer.compare(binary!.key!, binaryKey)).toBe(0);
    expect(header(binary!, DlqHeaders.truncated)).toBeUndefined();
    // The huge key does not fit beside the error: the copy keeps its start, its size and its digest.
    expect(header(huge!, DlqHeaders.truncated)).toBe('true');
    expect(huge!.key!.length).toBeLessThanOrEqual(255);
    expect(Number(header(huge!, DlqHeaders.originalKeyBytes))).toBe(hugeKey.length);
    expect(header(huge!, DlqHeaders.originalKeySha256)).toBe(sha256(hugeKey));
  });
});
