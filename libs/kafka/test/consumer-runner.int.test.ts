import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { z } from 'zod';
import { dlqTopicOf, makeEnvelope } from '@customer-sync/contracts';
import { PermanentError } from '@customer-sync/service-core';
import { collectTopic, testKafka, TEST_KAFKA_BROKERS, waitFor } from '@customer-sync/testing';
import { DlqHeaders, publish, replayDlq, startConsumer } from '../src';
import { useKafkaTestClient, newTopic } from './kafka-test-setup';

const { logger, kafka, producer, running } = useKafkaTestClient('kafka-lib-test', { loggerName: 'kafka-test' });
const Greeting = z.object({ id: z.string(), correlationId: z.string(), payload: z.object({ n: z.number() }) }).loose();

const freshTopic = (partitions = 1) => newTopic(kafka, 'lib-test', partitions);

const message = (n: number, key = 'k') => ({
  key,
  value: JSON.stringify(makeEnvelope('greeting', { n }, { correlationId: `c${n}` })),
});

async function consume(topic: string, handle: (n: number) => Promise<void>, maxAttempts = 5, groupId = `g-${topic}`) {
  const handler = { schema: Greeting, handle: (v: z.infer<typeof Greeting>) => handle(v.payload.n) };
  const consumer = await startConsumer({
    kafka,
    groupId,
    producer,
    logger,
    maxAttempts,
    backoff: { baseMs: 20, maxMs: 50 },
    handlers: { [topic]: handler },
  });
  running.push(consumer);
  return consumer;
}

describe('consumer runner against the real broker', () => {
  it('keeps its partitions through a handler slower than the session timeout (it heartbeats while the handler runs)', async () => {
    const topic = await freshTopic();
    const calls: number[] = [];
    const handler = {
      schema: Greeting,
      handle: async (v: z.infer<typeof Greeting>) => {
        calls.push(v.payload.n);
        if (v.payload.n === 1) await new Promise((resolve) => setTimeout(resolve, 9000));
      },
    };
    const consumer = await startConsumer({
      kafka,
      groupId: `g-${topic}`,
      producer,
      logger,
      maxAttempts: 1,
      backoff: { baseMs: 20, maxMs: 50 },
      sessionTimeoutMs: 6000,
      handlers: { [topic]: handler },
    });
    running.push(consumer);

    await publish(producer, topic, [message(1), message(2)]);
    await waitFor(() => calls.includes(2), { what: 'the message after the slow one', timeoutMs: 40_000 });
    await new Promise((resolve) => setTimeout(resolve, 2000));

    // A lost session would have redelivered the uncommitted slow message.
    expect(calls).toEqual([1, 2]);
    expect(consumer.isJoined()).toBe(true);
  }, 60_000);

  it('delivers produced messages in order', async () => {
    const topic = await freshTopic();
    const seen: number[] = [];
    await consume(topic, async (n) => void seen.push(n));
    await publish(producer, topic, [message(1), message(2), message(3)]);
    await waitFor(() => seen.length === 3, { what: 'three messages' });
    expect(seen).toEqual([1, 2, 3]);
  });

  it('retries a transiently failing handler and processes the message once', async () => {
    const topic = await freshTopic();
    let calls = 0;
    const done: number[] = [];
    await consume(topic, async (n) => {
      calls++;
      if (calls < 3) throw new Error('database briefly unavailable');
      done.push(n);
    });
    await publish(producer, topic, [message(7)]);
    await waitFor(() => done.length === 1, { what: 'processed after retries' });
    expect(calls).toBe(3);
    expect(done).toEqual([7]);
  });

  it('when PostgreSQL is unreachable for longer than maxAttempts, keeps retrying and never dead-letters', async () => {
    const topic = await freshTopic();
    const dlq = await collectTopic(testKafka(), dlqTopicOf(topic));
    let calls = 0;
    const done: number[] = [];
    await consume(
      topic,
      async (n) => {
        calls++;
        if (calls <= 8) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
        if (calls <= 10) throw Object.assign(new Error('the database system is starting up'), { code: '57P03' });
        done.push(n);
      },
      3,
    );
    try {
      await publish(producer, topic, [message(4)]);
      await waitFor(() => done.length === 1, { what: 'processed once the database is back' });
      expect(done).toEqual([4]);
      expect(calls).toBe(11);
      expect(dlq.messages).toHaveLength(0);
    } finally {
      await dlq.stop();
    }
  });

  it('sends a poison message to the DLQ with its reason and moves on', async () => {
    const topic = await freshTopic();
    const done: number[] = [];
    await consume(topic, async (n) => {
      if (n === 2) throw new PermanentError('customer 2 is invalid');
      done.push(n);
    });
    await publish(producer, topic, [message(1), { key: 'k', value: 'not json at all' }, message(2), message(3)]);
    const dlq = await collectTopic(testKafka(), dlqTopicOf(topic));
    try {
      await waitFor(() => done.length === 2 && dlq.messages.length === 2, { what: 'two processed, two dead-lettered' });
      expect(done).toEqual([1, 3]);
      const reasons = dlq.messages.map((m) => m.headers?.[DlqHeaders.error]?.toString());
      expect(reasons[0]).toMatch(/not JSON/);
      expect(reasons[1]).toMatch(/customer 2 is invalid/);
      expect(dlq.messages[1]!.headers?.[DlqHeaders.sourceTopic]?.toString()).toBe(topic);
    } finally {
      await dlq.stop();
    }
  });

  it('gives up on a message after the bounded retries and dead-letters it', async () => {
    const topic = await freshTopic();
    let calls = 0;
    await consume(
      topic,
      async () => {
        calls++;
        throw new Error('always down');
      },
      3,
    );
    await publish(producer, topic, [message(1)]);
    const dlq = await collectTopic(testKafka(), dlqTopicOf(topic));
    try {
      await waitFor(() => dlq.messages.length === 1, { what: 'dead letter' });
      expect(calls).toBe(3);
      expect(dlq.messages[0]!.headers?.[DlqHeaders.attempts]?.toString()).toBe('3');
    } finally {
      await dlq.stop();
    }
  });

  it('replays dead letters to the source topic once', async () => {
    const topic = await freshTopic();
    let healthy = false;
    const done: number[] = [];
    await consume(topic, async (n) => {
      if (!healthy) throw new PermanentError('not yet');
      done.push(n);
    });
    await publish(producer, topic, [message(1), message(2)]);
    const dlq = await collectTopic(testKafka(), dlqTopicOf(topic));
    await waitFor(() => dlq.messages.length === 2, { what: 'dead letters' });
    await dlq.stop();

    healthy = true;
    const first = await replayDlq({ kafka, producer, topic, logger, groupId: `replay-${topic}` });
    await waitFor(() => done.length === 2, { what: 'replayed messages processed' });
    const second = await replayDlq({ kafka, producer, topic, logger, groupId: `replay-${topic}` });

    expect(first.replayed).toBe(2);
    expect(second.replayed).toBe(0);
    expect(done.sort()).toEqual([1, 2]);
  });

  it('does not commit the offset of a message whose handler died with its process', async () => {
    const topic = await freshTopic();
    const groupId = `g-crash-${topic}`;
    await publish(producer, topic, [message(42)]);

    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(__dirname, 'consumer-child.ts'), topic, groupId, TEST_KAFKA_BROKERS.join(',')],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    await waitFor(() => output.includes('started'), { what: 'child started handling', timeoutMs: 40_000 });
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));

    const seen: number[] = [];
    await consume(topic, async (n) => void seen.push(n), 5, groupId);
    await waitFor(() => seen.length === 1, { what: 'redelivery after the crash', timeoutMs: 40_000 });
    expect(seen).toEqual([42]);
  });
});
