import { testLogger, TEST_KAFKA_BROKERS, uniqueSuffix } from '@customer-sync/testing';
import { createKafkaClient, ensureTopics, KAFKA_DEFAULT_MAX_MESSAGE_BYTES, readTopicLimits } from '../src';

const kafka = createKafkaClient({
  brokers: TEST_KAFKA_BROKERS,
  clientId: 'topic-limits-test',
  logger: testLogger('topic-limits'),
});

describe('readTopicLimits against the real broker', () => {
  it("reads a topic's own max.message.bytes and the broker's default for the others", async () => {
    const small = `topic-limits.${uniqueSuffix()}`;
    const plain = `topic-limits.${uniqueSuffix()}`;
    await ensureTopics(kafka, [plain], { partitions: 1, replicationFactor: 1, withDlq: false });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [{ topic: small, numPartitions: 1, configEntries: [{ name: 'max.message.bytes', value: '50000' }] }],
      waitForLeaders: true,
    });
    await admin.disconnect();

    const limits = await readTopicLimits(kafka, [small, plain]);

    expect(limits.maxMessageBytes(small)).toBe(50_000);
    expect(limits.maxMessageBytes(plain)).toBe(KAFKA_DEFAULT_MAX_MESSAGE_BYTES);
    expect(limits.maxMessageBytes('never-described')).toBe(KAFKA_DEFAULT_MAX_MESSAGE_BYTES);
  });
});
