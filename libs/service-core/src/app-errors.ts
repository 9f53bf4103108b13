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

/** 400 with the field paths that failed (`details: [{ path, message }]`). */
export class ValidationError extends AppError {
  constructor(details: unknown, message = 'the request is invalid') {
    super('validation_failed', 400, message, details);
  }
}

/** 400 for a request the HTTP layer could not read (a bad percent escape, a broken gzip body). */
export class BadRequestError extends AppError {
  constructor(message: string) {
    super('bad_request', 400, message);
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

/** 405; the route sets the Allow header. */
export class MethodNotAllowedError extends AppError {
  constructor(method: string, allowed: readonly string[]) {
    super('method_not_allowed', 405, `${method.slice(0, 16)} is not allowed here; use ${allowed.join(', ')}`);
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

/** 415: a body in a type, charset or content encoding the route does not read. */
export class UnsupportedMediaTypeError extends AppError {
  constructor(message: string) {
    super('unsupported_media_type', 415, message);
  }
}

/** 429 with the seconds to wait (sent as Retry-After). */
export class TooManyRequestsError extends AppError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super('rate_limited', 429, message);
  }
}
