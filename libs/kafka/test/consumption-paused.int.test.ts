import { z } from 'zod';
import { dlqTopicOf, makeEnvelope } from '@customer-sync/contracts';
import { collectTopic, testKafka, uniqueSuffix, waitFor } from '@customer-sync/testing';
import { ConsumptionPaused, ensureTopics, publish, startConsumer } from '../src';
import { useKafkaTestClient } from './kafka-test-setup';

const { logger, kafka, producer, running } = useKafkaTestClient('consumption-paused-test');
const Greeting = z.object({ id: z.string(), correlationId: z.string(), payload: z.object({ n: z.number() }) }).loose();

async function committedOffset(groupId: string, topic: string): Promise<string> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return entry!.partitions[0]!.offset;
  } finally {
    await admin.disconnect();
  }
}

describe('a handler that throws ConsumptionPaused', () => {
  it('leaves the message uncommitted and not dead-lettered, stops the partition, and resumes from that message when told', async () => {
    const topic = `lib-test.paused.${uniqueSuffix()}`;
    const groupId = `g-${topic}`;
    await ensureTopics(kafka, [topic], { partitions: 1, replicationFactor: 1 });
    await publish(
      producer,
      topic,
      [1, 2, 3].map((n) => ({
        key: 'k',
        value: JSON.stringify(makeEnvelope('greeting', { n }, { correlationId: `c${n}` })),
      })),
    );
    let resume!: () => void;
    const until = new Promise<void>((resolve) => (resume = resolve));
    let dependencyDown = true;
    const attempts: number[] = [];
    const handled: number[] = [];
    running.push(
      await startConsumer({
        kafka,
        groupId,
        producer,
        logger,
        maxAttempts: 2,
        backoff: { baseMs: 10, maxMs: 10 },
        handlers: {
          [topic]: {
            schema: Greeting,
            handle: async (value: z.infer<typeof Greeting>) => {
              attempts.push(value.payload.n);
              if (value.payload.n === 2 && dependencyDown) throw new ConsumptionPaused('dependency refuses us', until);
              handled.push(value.payload.n);
            },
          },
        },
      }),
    );

    await waitFor(() => attempts.includes(2), { what: 'message 2 attempted' });
    await waitFor(async () => (await committedOffset(groupId, topic)) === '1', { what: 'message 1 committed' });
    await new Promise((r) => setTimeout(r, 2500));
    expect(attempts).toEqual([1, 2]);
    expect(await committedOffset(groupId, topic)).toBe('1');

    dependencyDown = false;
    resume();
    await waitFor(() => handled.length === 3, { what: 'messages 2 and 3 after resuming', timeoutMs: 15_000 });
    expect(handled).toEqual([1, 2, 3]);
    await waitFor(async () => (await committedOffset(groupId, topic)) === '3', { what: 'all committed' });

    const dlq = await collectTopic(testKafka(), dlqTopicOf(topic));
    await new Promise((r) => setTimeout(r, 1500));
    await dlq.stop();
    expect(dlq.messages).toHaveLength(0);
  });
});
