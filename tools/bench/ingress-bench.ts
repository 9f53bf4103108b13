// Webhook ingress throughput: the real service (signature check, publish, Kafka acks=all) against
// the same verification on plain node:http and on Express 5 with express.raw (no Kafka).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES_DIR, signedBody, startServiceProcess, TEST_KAFKA_BROKERS, uniqueSuffix } from '@customer-sync/testing';
import { benchDurationSeconds, line, load, startScript } from './bench-kit';

const SECRET = 'whsec_benchsecret0123456789';
const DURATION = benchDurationSeconds();

async function main() {
  // The recorded event exactly as Stripe sends it (pretty-printed, about 1.1 KB).
  const { body, signature } = signedBody(readFileSync(join(FIXTURES_DIR, 'event.customer.created.json'), 'utf8'), SECRET);
  const request = (port: number) => ({
    url: `http://127.0.0.1:${port}/stripe/webhook`,
    method: 'POST' as const,
    headers: { 'content-type': 'application/json', 'stripe-signature': signature },
    body,
    duration: DURATION,
  });
  console.log(`signed event: ${Buffer.byteLength(body)} bytes, 50 connections, ${DURATION} s each\n`);

  const express = await startScript(join(__dirname, 'http-variants.ts'), ['express', SECRET]);
  const expressResult = await load(request(express.port));
  express.child.kill();
  const plain = await startScript(join(__dirname, 'http-variants.ts'), ['node-http', SECRET]);
  const plainResult = await load(request(plain.port));
  plain.child.kill();

  const ingress = await startServiceProcess('webhook-ingress', {
    KAFKA_BROKERS: TEST_KAFKA_BROKERS.join(','),
    KAFKA_CLIENT_ID: 'bench',
    KAFKA_TOPIC_SUFFIX: `bench-${uniqueSuffix()}`,
    STRIPE_WEBHOOK_SECRET: SECRET,
    LOG_LEVEL: 'error',
  });
  const port = Number(new URL(ingress.url).port);
  await load({ ...request(port), duration: 2 });
  const ingressResult = await load(request(port));
  await ingress.stop();

  console.log(line('Express 5 + express.raw, verify (no Kafka)', expressResult));
  console.log(line('node:http, verify (no Kafka)', plainResult, expressResult));
  console.log(line('webhook-ingress: verify + Kafka acks=all', ingressResult, expressResult));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
