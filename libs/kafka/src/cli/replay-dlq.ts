import { KafkaCommandEnv, loadConfig } from '@customer-sync/config';
import { Topics } from '@customer-sync/contracts';
import { createServiceLogger } from '@customer-sync/logger';
import { replayDlq } from '../dlq-replay';
import { connectServiceKafka } from '../service-kafka';
import type { TopicMap } from '../topic-names';

/** `npm run dlq:replay -- <topic>`: moves what is in `<topic>.dlq` back to `<topic>`, once. */
async function main() {
  const base = process.argv[2];
  const known = Object.values(Topics) as string[];
  if (!base || !known.includes(base)) {
    console.error(`usage: npm run dlq:replay -- <topic>   (one of: ${known.join(', ')})`);
    process.exit(2);
  }
  const config = loadConfig(KafkaCommandEnv);
  const logger = createServiceLogger('dlq-replay', config);
  const key = (Object.keys(Topics) as (keyof TopicMap)[]).find((k) => Topics[k] === base)!;
  const { kafka, producer, topics } = await connectServiceKafka(config, logger, (t) => [t[key]]);
  const topic = topics[key];
  try {
    const { replayed, skippedTruncated } = await replayDlq({ kafka, producer, topic, logger });
    console.log(`replayed ${replayed} message(s) from ${topic}.dlq to ${topic}`);
    if (skippedTruncated > 0) console.log(`skipped ${skippedTruncated} truncated copy(ies): see their dlq-source-* headers for the originals`);
  } finally {
    await producer.disconnect();
  }
}

main().catch((error) => {
  console.error(`replay failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
