/** Base of every error an HTTP answer is made from: a stable code, a status and a safe message. */
export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly details?: unknown,
    /** Operational errors are expected (bad input, missing row); others are bugs. */
    readonly operational = true,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends AppError {
  constructor(details: unknown, message = 'the request is invalid') {
    super('validation_failed', 400, message, details);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'a valid API key is required') {
    super('unauthorized', 401, message);
  }
}

export class NotFoundError extends AppError {
  constructor(what: string) {
    super('not_found', 404, `${what} not found`);
  }
}

export class ConflictError extends AppError {
  constructor(code: string, message: string) {
    super(code, 409, message);
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(limit: string | number) {
    super('payload_too_large', 413, `the body is larger than ${limit}`);
  }
}
