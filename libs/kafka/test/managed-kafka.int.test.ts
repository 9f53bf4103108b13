import { z } from 'zod';
import { KafkaCommandEnv, parseEnv, type KafkaCommandConfig } from '@customer-sync/config';
import { makeEnvelope } from '@customer-sync/contracts';
import {
  freePort,
  startSecuredBroker,
  testLogger,
  uniqueSuffix,
  waitFor,
  type SecuredBroker,
} from '@customer-sync/testing';
import { connectServiceKafka, KafkaConnectionError, publish, startConsumer, type ServiceKafka } from '../src';

const logger = testLogger('managed-kafka-test');
let broker: SecuredBroker;
const connected: ServiceKafka[] = [];

beforeAll(async () => {
  broker = await startSecuredBroker();
}, 180_000);

afterEach(async () => {
  await Promise.all(connected.splice(0).map((bus) => bus.producer.disconnect()));
});

afterAll(async () => {
  await broker?.destroy();
}, 60_000);

/** A config as a service reads it from its environment. */
function configOf(env: Record<string, string>): KafkaCommandConfig {
  return parseEnv(KafkaCommandEnv, {
    KAFKA_CLIENT_ID: 'managed-kafka-test',
    KAFKA_TOPIC_SUFFIX: uniqueSuffix(),
    KAFKA_TOPIC_PARTITIONS: '1',
    KAFKA_SESSION_TIMEOUT_MS: '6000',
    ...env,
  });
}

const scram = (mechanism: string, password = broker.user.password) => ({
  KAFKA_SASL_MECHANISM: mechanism,
  KAFKA_SASL_USERNAME: broker.user.username,
  KAFKA_SASL_PASSWORD: password,
});
const tls = (caFile = broker.certificates.caFile) => ({
  KAFKA_SSL: 'true',
  KAFKA_SSL_CA_FILE: caFile,
});

const Greeting = z
  .object({
    id: z.string(),
    correlationId: z.string(),
    payload: z.object({ n: z.number() }),
  })
  .loose();

/** Connects as a service does, then produces and consumes one message through a consumer group. */
async function roundTrip(config: KafkaCommandConfig): Promise<number> {
  const bus = await connectServiceKafka(config, logger, (t) => [t.customerRequested]);
  connected.push(bus);
  const topic = bus.topics.customerRequested;
  await publish(bus.producer, topic, [
    {
      key: 'k',
      value: JSON.stringify(makeEnvelope('greeting', { n: 7 }, { correlationId: 'c' })),
    },
  ]);
  const seen: number[] = [];
  const consumer = await startConsumer({
    kafka: bus.kafka,
    groupId: `managed-${config.KAFKA_TOPIC_SUFFIX}`,
    producer: bus.producer,
    logger,
    maxAttempts: 1,
    backoff: { baseMs: 10, maxMs: 10 },
    sessionTimeoutMs: 6000,
    handlers: {
      [topic]: {
        schema: Greeting,
        handle: async (value: z.infer<typeof Greeting>) => void seen.push(value.payload.n),
      },
    },
  });
  try {
    return (await waitFor(() => seen[0], {
      what: 'the message back',
      timeoutMs: 30_000,
    })) as number;
  } finally {
    await consumer.stop();
  }
}

/** Expects connecting to fail, soon, and returns the error's message. */
async function refusal(config: KafkaCommandConfig): Promise<string> {
  const started = Date.now();
  const error = await connectServiceKafka(config, logger, (t) => [t.customerRequested]).then(
    (bus) => {
      connected.push(bus);
      throw new Error('connected although it should not have');
    },
    (e: unknown) => e as Error,
  );
  expect(Date.now() - started).toBeLessThan(45_000);
  return error.message;
}

describe('managed Kafka: TLS and SASL from the service config', () => {
  it.each(['scram-sha-256', 'scram-sha-512', 'plain'])(
    'with SASL_PLAINTEXT and %s and the right password, produces and consumes',
    async (mechanism) => {
      expect(
        await roundTrip(
          configOf({
            KAFKA_BROKERS: broker.saslPlaintext,
            ...scram(mechanism),
          }),
        ),
      ).toBe(7);
    },
  );

  it.each(['scram-sha-512', 'plain'])(
    'with SASL_SSL (%s, broker verified against KAFKA_SSL_CA_FILE), produces and consumes',
    async (mechanism) => {
      expect(
        await roundTrip(
          configOf({
            KAFKA_BROKERS: broker.saslSsl,
            ...tls(),
            ...scram(mechanism),
          }),
        ),
      ).toBe(7);
    },
  );

  it('with mutual TLS (client certificate and key), produces and consumes', async () => {
    const env = {
      KAFKA_BROKERS: broker.mutualTls,
      ...tls(),
      KAFKA_SSL_CERT_FILE: broker.certificates.clientCertFile,
      KAFKA_SSL_KEY_FILE: broker.certificates.clientKeyFile,
    };
    expect(await roundTrip(configOf(env))).toBe(7);
  });

  it('with a wrong SCRAM password, fails at once naming the mechanism, the user and the variables to check, never the password', async () => {
    const message = await refusal(
      configOf({
        KAFKA_BROKERS: broker.saslSsl,
        ...tls(),
        ...scram('scram-sha-512', 'wrong-password-123'),
      }),
    );
    expect(message).toMatch(/SASL_SSL/);
    expect(message).toMatch(/SCRAM-SHA-512.*customer-sync/);
    expect(message).toMatch(/authentication failed/i);
    expect(message).toMatch(/KAFKA_SASL_USERNAME.*KAFKA_SASL_PASSWORD/);
    expect(message).not.toContain('wrong-password-123');
  });

  it('when the broker’s certificate is not signed by the configured CA, fails with a TLS error naming KAFKA_SSL_CA_FILE', async () => {
    const message = await refusal(
      configOf({
        KAFKA_BROKERS: broker.saslSsl,
        ...tls(broker.certificates.otherCaFile),
        ...scram('scram-sha-512'),
      }),
    );
    expect(message).toMatch(/certificate/);
    expect(message).toMatch(/KAFKA_SSL_CA_FILE/);
  });

  it('when the broker requires a client certificate and none is configured, fails naming KAFKA_SSL_CERT_FILE', async () => {
    const message = await refusal(configOf({ KAFKA_BROKERS: broker.mutualTls, ...tls() }));
    expect(message).toMatch(/KAFKA_SSL_CERT_FILE/);
  });

  it('when SASL is left out for a SASL listener, fails saying the broker closed the connection', async () => {
    const message = await refusal(configOf({ KAFKA_BROKERS: broker.saslPlaintext }));
    expect(message).toMatch(/closed the connection/);
    expect(message).toMatch(/KAFKA_SASL_MECHANISM/);
  });

  it('marks a refusal of our credentials as permanent, and brokers that do not answer as worth retrying', async () => {
    const failure = (config: KafkaCommandConfig) =>
      connectServiceKafka(config, logger, (t) => [t.customerRequested]).then(
        (bus) => {
          connected.push(bus);
          throw new Error('connected although it should not have');
        },
        (e: unknown) => e as KafkaConnectionError,
      );
    const refused = await failure(
      configOf({ KAFKA_BROKERS: broker.saslSsl, ...tls(), ...scram('scram-sha-512', 'wrong-password-123') }),
    );
    expect(refused).toBeInstanceOf(KafkaConnectionError);
    expect(refused.permanent).toBe(true);
    const unanswered = await failure(configOf({ KAFKA_BROKERS: `127.0.0.1:${await freePort()}` }));
    expect(unanswered).toBeInstanceOf(KafkaConnectionError);
    expect(unanswered.permanent).toBe(false);
  }, 90_000);
});
