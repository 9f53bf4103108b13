import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SCRIPT = join(__dirname, '../../../tools/kafka/kafka.sh');

/**
 * A second single-node broker of the test's own, for outage tests that stop and start Kafka
 * without disturbing the shared broker the other test files use.
 */
export function dedicatedBroker(port: number) {
  const env = {
    ...process.env,
    KAFKA_PORT: String(port),
    KAFKA_CONTROLLER_PORT: String(port + 1),
    KAFKA_LOCAL_DIR: join(__dirname, `../../../.local/kafka-test-${port}`),
  };
  const call = (command: string) => run('bash', [SCRIPT, command], { env, timeout: 120_000 });
  return {
    brokers: `127.0.0.1:${port}`,
    start: () => call('start'),
    stop: () => call('stop'),
    /** Stops it and removes its data. */
    destroy: () => call('reset'),
  };
}
