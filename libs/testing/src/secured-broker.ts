import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dedicatedBroker, dedicatedBrokerDir } from './dedicated-broker';
import { freePortRange } from './free-ports';
import { createTestCertificates, type TestCertificates } from './test-certificates';

/** A broker of the test's own with the listeners managed Kafka services offer. */
export interface SecuredBroker {
  /** SASL_PLAINTEXT: SCRAM-SHA-256, SCRAM-SHA-512 and PLAIN. */
  saslPlaintext: string;
  /** SASL_SSL: the same mechanisms over TLS (server certificate signed by `certificates.caFile`). */
  saslSsl: string;
  /** SSL with client certificates required (mutual TLS, no SASL). */
  mutualTls: string;
  certificates: TestCertificates;
  /** A user known to SCRAM (both hashes) and to PLAIN. */
  user: { username: string; password: string };
  /** Stops the broker and removes its data. */
  destroy(): Promise<void>;
}

const USER = { username: 'customer-sync', password: 'scram-test-password-1' };

/** Listeners on base…base+4: SASL_PLAINTEXT, controller, internal (inter-broker), SASL_SSL, SSL+client auth. */
function properties(base: number, certs: TestCertificates): string {
  const scram = 'org.apache.kafka.common.security.scram.ScramLoginModule required;';
  const plain = `org.apache.kafka.common.security.plain.PlainLoginModule required user_${USER.username}="${USER.password}";`;
  const saslListener = (name: string) => [
    `listener.name.${name}.sasl.enabled.mechanisms=SCRAM-SHA-256,SCRAM-SHA-512,PLAIN`,
    `listener.name.${name}.scram-sha-256.sasl.jaas.config=${scram}`,
    `listener.name.${name}.scram-sha-512.sasl.jaas.config=${scram}`,
    `listener.name.${name}.plain.sasl.jaas.config=${plain}`,
  ];
  const keystore = (name: string) => [
    `listener.name.${name}.ssl.keystore.type=PEM`,
    `listener.name.${name}.ssl.keystore.location=${certs.serverKeystoreFile}`,
  ];
  return [
    `listeners=SASL://127.0.0.1:${base},CONTROLLER://127.0.0.1:${base + 1},INTERNAL://127.0.0.1:${base + 2},SASLTLS://127.0.0.1:${base + 3},MTLS://127.0.0.1:${base + 4}`,
    `advertised.listeners=SASL://127.0.0.1:${base},INTERNAL://127.0.0.1:${base + 2},SASLTLS://127.0.0.1:${base + 3},MTLS://127.0.0.1:${base + 4}`,
    'listener.security.protocol.map=SASL:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT,INTERNAL:PLAINTEXT,SASLTLS:SASL_SSL,MTLS:SSL',
    'inter.broker.listener.name=INTERNAL',
    'sasl.enabled.mechanisms=SCRAM-SHA-256,SCRAM-SHA-512,PLAIN',
    ...saslListener('sasl'),
    ...saslListener('sasltls'),
    ...keystore('sasltls'),
    ...keystore('mtls'),
    'listener.name.mtls.ssl.truststore.type=PEM',
    `listener.name.mtls.ssl.truststore.location=${certs.caFile}`,
    'listener.name.mtls.ssl.client.auth=required',
    '',
  ].join('\n');
}

/**
 * Starts a single-node broker on free ports with SASL_PLAINTEXT, SASL_SSL and mutual-TLS
 * listeners, a SCRAM user created by the storage format tool and certificates made with openssl.
 * Takes tens of seconds on a busy machine; call `destroy()` when done.
 */
export async function startSecuredBroker(): Promise<SecuredBroker> {
  const base = await freePortRange(5);
  const dir = dedicatedBrokerDir(base);
  const certificates = await createTestCertificates(join(dir, 'certs'));
  const extraPropertiesFile = join(dir, 'security.properties');
  writeFileSync(extraPropertiesFile, properties(base, certificates));
  const broker = dedicatedBroker(base, {
    extraPropertiesFile,
    scramUsers: [`${USER.username}:${USER.password}`],
  });
  await broker.start();
  return {
    saslPlaintext: `127.0.0.1:${base}`,
    saslSsl: `127.0.0.1:${base + 3}`,
    mutualTls: `127.0.0.1:${base + 4}`,
    certificates,
    user: USER,
    destroy: async () => {
      await broker.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
