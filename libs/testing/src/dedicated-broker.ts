import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SCRIPT = join(__dirname, '../../../tools/kafka/kafka.sh');

/** Settings beyond the plain single-node broker (see tools/kafka/kafka.sh). */
export interface DedicatedBrokerOptions {
  /** A properties file appended to the generated server.properties (listeners, TLS, SASL). */
  extraPropertiesFile?: string;
  /** SCRAM users created when the storage is formatted, as `name:password`. */
  scramUsers?: string[];
}

/** The directory of the broker on `port` (its data, logs and anything a test puts beside them). */
export const dedicatedBrokerDir = (port: number) => join(__dirname, `../../../.local/kafka-test-${port}`);

/**
 * A second single-node broker of the test's own, for outage tests that stop and start Kafka
 * without disturbing the shared broker the other test files use. It uses `port` and `port + 1`
 * (controller); a secured broker's extra listeners use the ports its properties name.
 */
export function dedicatedBroker(port: number, options: DedicatedBrokerOptions = {}) {
  const settings = [
    `KAFKA_PORT=${port}`,
    `KAFKA_CONTROLLER_PORT=${port + 1}`,
    `KAFKA_LOCAL_DIR=${dedicatedBrokerDir(port)}`,
  ];
  if (options.extraPropertiesFile) settings.push(`KAFKA_EXTRA_PROPERTIES=${options.extraPropertiesFile}`);
  if (options.scramUsers) settings.push(`KAFKA_SCRAM_USERS=${options.scramUsers.join(' ')}`);
  // `env` adds the broker's settings to the inherited environment (java and mvn stay on PATH).
  const call = (command: string) => run('env', [...settings, 'bash', SCRIPT, command], { timeout: 120_000 });
  return {
    brokers: `127.0.0.1:${port}`,
    start: () => call('start'),
    stop: () => call('stop'),
    /** SIGKILL, as a crash: requests in flight get no answer, whether or not they were appended. */
    async kill() {
      const pid = Number(await readFile(join(dedicatedBrokerDir(port), 'kafka.pid'), 'utf8'));
      process.kill(pid, 'SIGKILL');
      while (await new Promise((r) => setTimeout(() => r(isAlive(pid)), 100)));
    },
    /** Stops it and removes its data. */
    destroy: () => call('reset'),
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
