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
