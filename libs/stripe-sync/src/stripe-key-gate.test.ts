import { Writable } from 'node:stream';
import { Registry } from 'prom-client';
import winston from 'winston';
import { createLogger } from '@customer-sync/logger';
import { StripeKeyGate } from './stripe-key-gate';

const refused = (statusCode: number) =>
  Object.assign(new Error('Expired API Key provided: sk_test_****0000'), {
    statusCode,
    type: 'StripeAuthenticationError',
  });
const KEY = 'sk_test_thesecretkeyitself0000';

/** A logger that keeps what it was given, to assert on what is (not) logged. */
function recordingLogger() {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ service: 'gate-test', level: 'debug' });
  logger.clear();
  const sink = new Writable({
    objectMode: true,
    write(info: Record<string, unknown>, _encoding, done) {
      lines.push(info);
      done();
    },
  });
  logger.add(new winston.transports.Stream({ stream: sink }));
  return { logger, lines };
}

function gate(probe: () => Promise<unknown>) {
  const registry = new Registry();
  const { logger, lines } = recordingLogger();
  const subject = new StripeKeyGate({ probe, probeIntervalMs: 20, mode: 'test', logger, registry });
  const metric = async () => (await registry.getSingleMetric('stripe_key_refused')!.get()).values[0]?.value;
  return { subject, lines, metric, registry };
}

const gates: StripeKeyGate[] = [];
afterEach(() => gates.splice(0).forEach((g) => g.stop()));

describe('StripeKeyGate', () => {
  it('is open until a refusal, then reports the reason and raises the metric', async () => {
    const { subject, metric } = gate(() => Promise.reject(refused(401)));
    gates.push(subject);
    expect(subject.refusal()).toBeUndefined();
    expect(await metric()).toBe(0);
    subject.refuse('Stripe answered 401: Expired API Key provided');
    expect(subject.refusal()).toMatch(/401/);
    expect(await metric()).toBe(1);
  });

  it('opens again, by itself, once a periodic probe is accepted', async () => {
    let accepted = false;
    let probes = 0;
    const { subject, metric } = gate(async () => {
      probes++;
      if (!accepted) throw refused(401);
    });
    gates.push(subject);
    subject.refuse('Stripe answered 401');
    const open = subject.whenAccepted();
    await new Promise((r) => setTimeout(r, 100));
    expect(probes).toBeGreaterThanOrEqual(2);
    expect(subject.refusal()).toBeDefined();
    accepted = true;
    await open;
    expect(subject.refusal()).toBeUndefined();
    expect(await metric()).toBe(0);
  });

  it('keeps probing through network errors while refused', async () => {
    let calls = 0;
    const { subject } = gate(async () => {
      calls++;
      if (calls < 3) throw Object.assign(new Error('ECONNREFUSED'), { type: 'StripeConnectionError' });
    });
    gates.push(subject);
    subject.refuse('Stripe answered 403');
    await subject.whenAccepted();
    expect(calls).toBe(3);
  });

  it('at start, logs the account mode once the key is accepted, never the key', async () => {
    const { subject, lines } = gate(async () => ({ object: 'list' }));
    gates.push(subject);
    await subject.checkAtStart();
    expect(subject.refusal()).toBeUndefined();
    expect(lines).toContainEqual(expect.objectContaining({ message: expect.stringMatching(/accepted/), mode: 'test' }));
    expect(JSON.stringify(lines)).not.toContain(KEY);
  });

  it('at start, a refused key closes the gate (the worker starts paused) instead of failing the start', async () => {
    const { subject } = gate(() => Promise.reject(refused(401)));
    gates.push(subject);
    await subject.checkAtStart();
    expect(subject.refusal()).toMatch(/Expired API Key/);
  });

  it('at start, an unreachable Stripe leaves the gate open: the calls themselves will retry', async () => {
    const { subject } = gate(() =>
      Promise.reject(Object.assign(new Error('ECONNREFUSED'), { type: 'StripeConnectionError' })),
    );
    gates.push(subject);
    await subject.checkAtStart();
    expect(subject.refusal()).toBeUndefined();
  });
});
