import { dlqTopicOf } from '@customer-sync/contracts';
import { collectTopic, testKafka, waitFor } from '@customer-sync/testing';
import { DlqHeaders, dlqDepth, listDlqEntries, publish, purgeDlq, replayDlq } from '../src';
import { useKafkaTestClient, newTopic } from './kafka-test-setup';

const { logger, kafka, producer } = useKafkaTestClient('dlq-replay-test');

async function topicWithDeadLetters(letters: { key: string; error: string; truncated?: boolean }[]) {
  const topic = await newTopic(kafka, 'dlq-replay-test');
  await publish(
    producer,
    dlqTopicOf(topic),
    letters.map((l) => ({
      key: l.key,
      value: `{"key":"${l.key}"}`,
      headers: {
        [DlqHeaders.error]: l.error,
        [DlqHeaders.sourceTopic]: topic,
        ...(l.truncated && { [DlqHeaders.truncated]: 'true', [DlqHeaders.originalBytes]: '2000000' }),
      },
    })),
  );
  return topic;
}

async function waiting(topic: string) {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return { keys: (await listDlqEntries(kafka, admin, topic)).map((e) => e.key), depth: await dlqDepth(admin, topic) };
  } finally {
    await admin.disconnect();
  }
}

describe('DLQ replay and purge', () => {
  it('replays only what the filter selects; the cursor stops at the first message left waiting', async () => {
    const topic = await topicWithDeadLetters([
      { key: 'a', error: 'PermanentError: bad' },
      { key: 'b', error: 'timeout' },
      { key: 'c', error: 'PermanentError: bad' },
    ]);
    const source = await collectTopic(testKafka(), topic);
    try {
      const result = await replayDlq({ kafka, producer, topic, logger, filter: { error: 'permanent' } });
      expect(result).toMatchObject({ replayed: 2, skipped: 1 });
      await waitFor(() => source.messages.length === 2, { what: 'two replayed' });
      expect(source.messages.map((m) => m.key?.toString())).toEqual(['a', 'c']);
    } finally {
      await source.stop();
    }
    // `a` is before the cursor; `b` was left, so `c` (after it) is still listed.
    expect(await waiting(topic)).toEqual({ keys: ['b', 'c'], depth: 2 });
  });

  it('does not publish a truncated copy, and passes over it', async () => {
    const topic = await topicWithDeadLetters([
      { key: 'big', error: 'too large', truncated: true },
      { key: 'ok', error: 'PermanentError: bad' },
    ]);
    const result = await replayDlq({ kafka, producer, topic, logger, filter: {} });
    expect(result).toMatchObject({ replayed: 1, skippedTruncated: 1, skipped: 0 });
    expect(await waiting(topic)).toEqual({ keys: [], depth: 0 });
  });

  it('purges: a dry run changes nothing; then the records are gone from the broker', async () => {
    const topic = await topicWithDeadLetters([
      { key: 'x', error: 'e' },
      { key: 'y', error: 'e' },
    ]);
    expect(await purgeDlq({ kafka, topic, logger, dryRun: true })).toMatchObject({
      purged: 0,
      entries: [expect.objectContaining({ key: 'x' }), expect.objectContaining({ key: 'y' })],
    });
    expect((await waiting(topic)).depth).toBe(2);

    expect(await purgeDlq({ kafka, topic, logger })).toMatchObject({ purged: 2 });
    const admin = kafka.admin();
    await admin.connect();
    const [partition] = await admin.fetchTopicOffsets(dlqTopicOf(topic));
    await admin.disconnect();
    expect(partition).toMatchObject({ low: '2', high: '2' });
  });
});
