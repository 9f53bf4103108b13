import { Partitioners, type PartitionerArgs } from 'kafkajs';
import { MAX_PARTITIONER_KEY_BYTES, boundedPartitioner } from './bounded-partitioner';

const partitionMetadata = Array.from({ length: 6 }, (_, partitionId) => ({
  partitionId,
  leader: 0,
  replicas: [0],
  isr: [0],
  partitionErrorCode: 0,
}));
const args = (key: string | Buffer): PartitionerArgs => ({
  topic: 't',
  partitionMetadata,
  message: { key, value: 'v' },
});

describe('boundedPartitioner', () => {
  it('places keys up to the bound where the default (murmur2) partitioner does', () => {
    const ours = boundedPartitioner();
    const theirs = Partitioners.DefaultPartitioner();
    for (const key of ['cus_123', 'a'.repeat(MAX_PARTITIONER_KEY_BYTES), '6f1d0a55-8f0e-4b3e-9a53-0e6b8f1c2d3e'])
      expect(ours(args(key))).toBe(theirs(args(key)));
  });

  it('hands the inner partitioner a digest of a larger key, never the key itself, and places it the same way every time', () => {
    const seen: number[] = [];
    const inner = (a: PartitionerArgs) => {
      seen.push(Buffer.byteLength(a.message.key as Buffer | string));
      return 0;
    };
    const ours = boundedPartitioner(() => inner);
    const huge = Buffer.alloc(1_048_000, 0xff);
    ours(args(huge));
    expect(seen).toEqual([expect.any(Number)]);
    expect(seen[0]).toBeLessThanOrEqual(MAX_PARTITIONER_KEY_BYTES);
    const real = boundedPartitioner();
    expect(real(args(huge))).toBe(real(args(Buffer.from(huge))));
  });
});
