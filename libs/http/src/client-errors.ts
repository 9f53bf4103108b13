import {
  AppError,
  BadRequestError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '@customer-sync/service-core';

/** What body-parser and the router attach to the errors they raise. */
interface ParserError {
  type?: string;
  status?: number;
  statusCode?: number;
  limit?: number;
}

/** True when the client went away before its body was read: nothing to answer, nothing failed here. */
export function isClientAbort(error: unknown): boolean {
  return (error as ParserError | undefined)?.type === 'request.aborted';
}

/**
 * The AppError for an error a client caused in the HTTP layer: body-parser's (`type`), a malformed
 * percent escape (URIError from the router), and any other error carrying a 4xx status. Undefined for
 * everything else (a bug: 500).
 */
export function clientErrorOf(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  if (error instanceof URIError) return new BadRequestError('the path has a malformed percent escape');
  const parser = (error ?? {}) as ParserError;
  switch (parser.type) {
    case 'entity.too.large':
      return new PayloadTooLargeError(parser.limit ?? 'the limit');
    case 'entity.parse.failed':
      return new ValidationError([], 'the body is not valid JSON');
    case 'encoding.unsupported':
      return new UnsupportedMediaTypeError('unsupported Content-Encoding; send identity, gzip, deflate or br');
    case 'charset.unsupported':
      return new UnsupportedMediaTypeError('unsupported charset; send UTF-8');
    case 'stream.encoding.set':
    case 'request.size.invalid':
      return new BadRequestError('the body does not match its headers');
  }
  const status = parser.status ?? parser.statusCode;
  if (typeof status !== 'number' || status < 400 || status >= 500) return undefined;
  const message = 'the request could not be read (check its body and Content-Encoding)';
  return status === 400 ? new BadRequestError(message) : new AppError('bad_request', status, message);
}
