import { z } from 'zod';
import { EnvelopeParseError } from '@customer-sync/contracts';
import { PermanentError } from '@customer-sync/service-core';

/**
 * A message whose record batch (headers and record overhead included) is larger than the topic's
 * `max.message.bytes`: the broker would refuse it on every attempt, so it is refused before it is sent.
 * sizeBytes is our upper-bound estimate (see record-size.ts), limitBytes the topic's limit.
 */
export class MessageTooLargeError extends PermanentError {
  constructor(
    readonly topic: string,
    readonly sizeBytes: number,
    readonly limitBytes: number,
  ) {
    super(
      `a message of up to ${sizeBytes} bytes cannot fit ${topic} (max.message.bytes ${limitBytes})`,
      'message_too_large',
    );
    this.name = 'MessageTooLargeError';
  }
}

/** Kafka protocol errors (kafkajs `type`) that the same request gets on every retry. */
const KAFKA_TOO_LARGE = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE', 'INVALID_RECORD']);

/** The error and its causes, outermost first (kafkajs wraps a broker's answer in `cause`). */
function* chain(error: unknown): Generator<unknown> {
  for (
    let e = error, depth = 0;
    e !== undefined && e !== null && depth < 5;
    e = (e as { cause?: unknown }).cause, depth++
  )
    yield e;
}

/** True when a message is refused for its size, by us (MessageTooLargeError) or by the broker. */
export function isTooLarge(error: unknown): boolean {
  for (const e of chain(error)) {
    if (e instanceof MessageTooLargeError || KAFKA_TOO_LARGE.has(String((e as { type?: unknown }).type))) return true;
  }
  return false;
}

/**
 * PostgreSQL SQLSTATE classes no retry can fix (https://www.postgresql.org/docs/current/errcodes-appendix.html):
 * 22 data exception (value too long, invalid text representation, out of range…),
 * 23 integrity constraint violation (not null, foreign key, check), 54 program limit exceeded (an
 * index row larger than a btree page, too many columns: the same row fails on every retry). Except unique (23505) and
 * exclusion (23P01) violations: two writers racing for the same row (a rebalance hands a partition
 * over while its old owner still works) get one, and the retry finds the winner's row.
 */
const PERMANENT_SQLSTATE_CLASSES = new Set(['22', '23', '54']);
const RACE_SQLSTATES = new Set(['23505', '23P01']);
const SQLSTATE = /^[0-9A-Z]{5}$/;

function isPermanentSqlState(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return (
    typeof code === 'string' &&
    SQLSTATE.test(code) &&
    PERMANENT_SQLSTATE_CLASSES.has(code.slice(0, 2)) &&
    !RACE_SQLSTATES.has(code)
  );
}

/**
 * Whether a handler's or producer's error is permanent: dead-letter at once. Permanent are
 * PermanentError (and MessageTooLargeError), envelope parse failures (EnvelopeParseError), schema violations (ZodError),
 * a broker's size refusal, and PostgreSQL data errors and program limits (SQLSTATE classes 22, 23 but races, and 54). Everything
 * else — connection failures, unique-key races, lock timeouts and deadlocks (40P01, 55P03), serialization failures
 * (40001), Kafka being unavailable, unknown errors — is transient: retried with backoff; on the consumer
 * path a bounded number of times, except outages (isOutage), which are retried for as long as it runs.
 */
export function isPermanent(error: unknown): boolean {
  for (const e of chain(error)) {
    if (
      e instanceof PermanentError ||
      e instanceof EnvelopeParseError ||
      e instanceof z.ZodError ||
      isPermanentSqlState(e)
    )
      return true;
  }
  return isTooLarge(error);
}

/*
 * Errors that mean a dependency is down or busy, not that the message is bad: socket-level failures
 * (ECONNREFUSED, ECONNRESET, ETIMEDOUT, EPIPE, EHOSTUNREACH, ENOTFOUND, EAI_AGAIN), a knex pool that
 * cannot get a connection, PostgreSQL connection exceptions (SQLSTATE class 08), server shutdown or
 * start-up (57P01–57P03), too many connections (53300), lock and serialization failures (55P03, 40P01,
 * 40001) and Kafka's own connection errors. A consumer retries these for as long as it runs, never
 * dead-letters them: the message is fine and will apply once the dependency is back.
 */
const OUTAGE_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
]);
const OUTAGE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '55P03', '40P01', '40001']);
const OUTAGE_NAMES = new Set([
  'KafkaJSConnectionError',
  'KafkaJSNumberOfRetriesExceeded',
  'KafkaJSRequestTimeoutError',
  'KnexTimeoutError',
]);
const OUTAGE_MESSAGES =
  /Connection terminated|Client has encountered a connection error|Timeout acquiring a connection|the database system is (starting up|shutting down)/i;

/** True when `error` (or one of its causes) is an outage of PostgreSQL or Kafka as listed above. */
export function isOutage(error: unknown): boolean {
  for (const e of chain(error)) {
    if (!e || typeof e !== 'object') continue;
    const { code, name, message } = e as { code?: unknown; name?: unknown; message?: unknown };
    if (typeof code === 'string' && (OUTAGE_ERRNOS.has(code) || OUTAGE_SQLSTATES.has(code) || code.startsWith('08')))
      return true;
    if (typeof name === 'string' && OUTAGE_NAMES.has(name)) return true;
    if (typeof message === 'string' && OUTAGE_MESSAGES.test(message)) return true;
  }
  return false;
}
