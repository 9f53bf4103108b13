import type { Kafka, Producer } from 'kafkajs';
import { SafeProducer } from './safe-producer';

/** A kafkajs stand-in: numbered producers whose sends fail on demand and record overlap. */
function fakeKafka(failing: Set<string>) {
  const created: { id: number; sends: string[]; disconnected: boolean }[] = [];
  let active = 0;
  let maxActive = 0;
  const kafka = {
    producer: () => {
      const record = { id: created.length + 1, sends: [] as string[], disconnected: false };
      created.push(record);
      return {
        connect: async () => undefined,
        disconnect: async () => void (record.disconnected = true),
        send: async ({ messages }: { messages: { key: string }[] }) => {
          active++;
          maxActive = Math.max(maxActive, active);
          await new Promise((r) => setTimeout(r, 5));
          active--;
          const key = messages[0]!.key;
          record.sends.push(key);
          if (failing.has(key)) throw new Error(`request with ${key} failed`);
        },
      } as unknown as Producer;
    },
  } as unknown as Kafka;
  return { kafka, created, maxActive: () => maxActive };
}

describe('SafeProducer', () => {
  it('after a failed send, sends the next ones through a new producer and disconnects the old one', async () => {
    const fake = fakeKafka(new Set(['b']));
    const producer = new SafeProducer(fake.kafka);
    await producer.connect();
    await producer.send('t', [{ key: 'a', value: '1' }]);
    await expect(producer.send('t', [{ key: 'b', value: '2' }])).rejects.toThrow(/b failed/);
    await producer.send('t', [{ key: 'c', value: '3' }]);
    expect(fake.created.map((p) => p.sends)).toEqual([['a', 'b'], ['c']]);
    expect(fake.created[0]!.disconnected).toBe(true);
  });

  it('never lets two sends overlap, so none takes sequences another is rolling back', async () => {
    const fake = fakeKafka(new Set(['k3']));
    const producer = new SafeProducer(fake.kafka);
    const sends = Array.from({ length: 8 }, (_, i) =>
      producer.send('t', [{ key: `k${i}`, value: 'v' }]).catch(() => undefined),
    );
    await Promise.all(sends);
    expect(fake.maxActive()).toBe(1);
    expect(fake.created).toHaveLength(2);
    expect(fake.created[1]!.sends).toEqual(['k4', 'k5', 'k6', 'k7']);
  });
});

describe('SafeProducer.connect', () => {
  it('shares one connection attempt between concurrent callers and does not wait for sends', async () => {
    const fake = fakeKafka(new Set());
    const producer = new SafeProducer(fake.kafka);
    await Promise.all([producer.connect(), producer.connect(), producer.connect()]);
    expect(fake.created).toHaveLength(1);
  });
});
