import { z } from 'zod';

export const SCHEMA_VERSION = 1;

/** Fields every message value on every topic carries. */
export const EnvelopeHeader = z.object({
  id: z.string().min(1),
  type: z.string().min(1),
  schemaVersion: z.literal(SCHEMA_VERSION),
  occurredAt: z.iso.datetime(),
  correlationId: z.string().min(1),
});
export type EnvelopeHeader = z.infer<typeof EnvelopeHeader>;

/** Builds the schema of one message type: the envelope header plus its typed payload. */
export function envelopeOf<T extends string, P extends z.ZodType>(type: T, payload: P) {
  return EnvelopeHeader.extend({ type: z.literal(type), payload });
}

export type Envelope<T extends string, P> = EnvelopeHeader & { type: T; payload: P };

export class EnvelopeParseError extends Error {
  constructor(
    message: string,
    readonly issues: string[],
  ) {
    super(message);
    this.name = 'EnvelopeParseError';
  }
}

/** Parses a Kafka message value against a message schema; throws EnvelopeParseError with readable issues. */
export function parseEnvelope<S extends z.ZodType>(schema: S, value: Buffer | string | null): z.infer<S> {
  if (value === null) throw new EnvelopeParseError('message has no value', []);
  let json: unknown;
  try {
    json = JSON.parse(value.toString());
  } catch {
    throw new EnvelopeParseError('message value is not JSON', []);
  }
  const result = schema.safeParse(json);
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new EnvelopeParseError(`message does not match its schema: ${issues.join('; ')}`, issues);
  }
  return result.data;
}

export interface EnvelopeInit {
  id?: string;
  correlationId: string;
  occurredAt?: Date;
}

export function makeEnvelope<T extends string, P>(type: T, payload: P, init: EnvelopeInit): Envelope<T, P> {
  return {
    id: init.id ?? crypto.randomUUID(),
    type,
    schemaVersion: SCHEMA_VERSION,
    occurredAt: (init.occurredAt ?? new Date()).toISOString(),
    correlationId: init.correlationId,
    payload,
  };
}
