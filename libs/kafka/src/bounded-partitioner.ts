import { createHash } from 'node:crypto';
import { Partitioners, type ICustomPartitioner, type PartitionerArgs } from 'kafkajs';

/**
 * Longest key the partitioner hashes as it is. kafkajs's murmur2 is slow on large inputs (a
 * 100 KB key took 1.6 s of the event loop); our keys are ids of at most a few hundred bytes.
 */
export const MAX_PARTITIONER_KEY_BYTES = 1024;

/**
 * The default (murmur2, Java-compatible) partitioner, except that a key longer than
 * MAX_PARTITIONER_KEY_BYTES is first replaced by its SHA-256 digest (linear and fast): the same key
 * still always lands on the same partition, and no key can stall the producer's event loop.
 * Only the partition choice changes; the message keeps its whole key.
 */
export function boundedPartitioner(
  createInner: ICustomPartitioner = Partitioners.DefaultPartitioner,
): ReturnType<ICustomPartitioner> {
  const inner = createInner();
  return (args: PartitionerArgs) => {
    const key = args.message.key;
    if (key === null || key === undefined || Buffer.byteLength(key) <= MAX_PARTITIONER_KEY_BYTES) return inner(args);
    return inner({ ...args, message: { ...args.message, key: createHash('sha256').update(key).digest() } });
  };
}
