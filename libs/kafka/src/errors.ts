/** A failure that no retry can fix (bad input, a rejected request): the message goes to the DLQ. */
export class PermanentError extends Error {
  constructor(
    message: string,
    readonly code = 'permanent_error',
  ) {
    super(message);
    this.name = 'PermanentError';
  }
}

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
    super(`a message of up to ${sizeBytes} bytes cannot fit ${topic} (max.message.bytes ${limitBytes})`, 'message_too_large');
    this.name = 'MessageTooLargeError';
  }
}

export const isPermanent = (error: unknown): boolean =>
  error instanceof PermanentError || (error instanceof Error && error.name === 'EnvelopeParseError');
