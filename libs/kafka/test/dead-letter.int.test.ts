import { Registry } from 'prom-client';
import { z } from 'zod';
import { dlqTopicOf, makeEnvelope } from '@customer-sync/contracts';
import { PermanentError } from '@customer-sync/service-core';
import { readTopic, testKafka, uniqueSuffix, waitFor } from '@customer-sync/testing';
import { createIdempotentProducer, DlqHeaders, ensureTopics, publish, startConsumer } from '../src';
import { useKafkaTestClient, newTopic } from './kafka-test-setup';

const { logger, kafka, producer, running } = useKafkaTestClient('dead-letter-test');
const Item = z.object({ id: z.string(), payload: z.object({ n: z.number(), filler: z.string().optional() }) }).loose();

const item = (n: number, filler?: string) => ({
  key: 'k',
  value: JSON.stringify(makeEnvelope('item', { n, filler }, { correlationId: `c${n}` })),
});

describe('dead-lettering against the real broker', () => {
  it('when the DLQ copy of a message would not fit, dead-letters it truncated with a pointer and the partition moves on', async () => {
    const topic = await newTopic(kafka, 'dead-letter');
    const crashes: unknown[] = [];
    const done: number[] = [];
    const consumer = await startConsumer({
      kafka,
      groupId: `g-${topic}`,
      producer,
      logger,
      maxAttempts: 2,
      backoff: { baseMs: 10, maxMs: 20 },
      onFatal: (error) => crashes.push(error),
      handlers: {
        [topic]: {
          schema: Item,
          handle: async (value: z.infer<typeof Item>) => {
            if (value.payload.n === 2) throw new PermanentError(`rejected: ${'r'.repeat(3000)}`);
            done.push(value.payload.n);
          },
        },
      },
    });
    running.push(consumer);

    // Fits the topic (1 MiB default) by a few hundred bytes: the dlq-* headers and the error push it over.
    const big = item(2, 'f'.repeat(1_048_000));
    await publish(producer, topic, [item(1)]);
    await publish(producer, topic, [big]);
    await publish(producer, topic, [item(3)]);

    await waitFor(() => done.length === 2, { what: 'the messages around the poison one processed', timeoutMs: 30_000 });
    expect(done).toEqual([1, 3]);
    expect(crashes).toEqual([]);
    const [letter] = await readTopic(testKafka(), dlqTopicOf(topic));
    expect(letter).toBeDefined();
    const header = (name: string) => letter!.headers?.[name]?.toString();
    expect(header(DlqHeaders.sourceTopic)).toBe(topic);
    expect(header(DlqHeaders.sourcePartition)).toBe('0');
    expect(header(DlqHeaders.sourceOffset)).toBe('1');
    expect(header(DlqHeaders.error)).toMatch(/^PermanentError: rejected/);
    expect(header(DlqHeaders.truncated)).toBe('true');
    expect(Number(header(DlqHeaders.originalBytes))).toBe(Buffer.byteLength(big.value));
    expect(big.value.startsWith(letter!.value!.toString())).toBe(true);
  });

  it('when the DLQ cannot be written, retries without committing or crashing, then stores the letter and moves on', async () => {
    const topic = `dead-letter.${uniqueSuffix()}`;
    await ensureTopics(kafka, [topic], { partitions: 1, replicationFactor: 1, withDlq: false });
    const registry = new Registry();
    const crashes: unknown[] = [];
    const done: number[] = [];
    // Few client retries, so each failed DLQ attempt ends in seconds.
    const dlqProducer = createIdempotentProducer(testKafka('dlq-producer'));
    await dlqProducer.connect();
    try {
      running.push(
        await startConsumer({
          kafka,
          groupId: `g-${topic}`,
          producer: dlqProducer,
          logger,
          registry,
          maxAttempts: 1,
          backoff: { baseMs: 50, maxMs: 200 },
          onFatal: (error) => crashes.push(error),
          handlers: {
            [topic]: {
              schema: Item,
              handle: async (value: z.infer<typeof Item>) => {
                if (value.payload.n === 2) throw new PermanentError('rejected');
                done.push(value.payload.n);
              },
            },
          },
        }),
      );
      await publish(producer, topic, [item(1), item(2), item(3)]);
      const failures = async () =>
        (await registry.getSingleMetric('kafka_consumer_dlq_publish_failures_total')!.get()).values[0]?.value ?? 0;
      await waitFor(async () => (await failures()) >= 2, { what: 'failed DLQ attempts', timeoutMs: 40_000 });
      expect(done).toEqual([1]);

      await ensureTopics(kafka, [dlqTopicOf(topic)], { partitions: 1, replicationFactor: 1, withDlq: false });
      await waitFor(() => done.length === 2, { what: 'the partition moving on', timeoutMs: 60_000 });
      expect(done).toEqual([1, 3]);
      expect(crashes).toEqual([]);
      const letters = await readTopic(testKafka(), dlqTopicOf(topic));
      expect(letters.map((m) => m.headers?.[DlqHeaders.sourceOffset]?.toString())).toContain('1');
    } finally {
      await Promise.all(running.splice(0).map((c) => c.stop()));
      await dlqProducer.disconnect();
    }
  });
});
