/** An error answered in Stripe's shape: { error: { type, code, message, param } }. */
export class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly code: string | undefined,
    message: string,
    readonly param?: string,
  ) {
    super(message);
  }

  toBody() {
    return {
      error: {
        type: this.type,
        code: this.code,
        message: this.message,
        param: this.param,
        doc_url: this.code && `https://stripe.com/docs/error-codes/${this.code.replace(/_/g, '-')}`,
      },
    };
  }
}

export const resourceMissing = (what: string, id: string, param = 'id') =>
  new StripeApiError(404, 'invalid_request_error', 'resource_missing', `No such ${what}: '${id}'`, param);

export const invalidParam = (param: string, message: string) =>
  new StripeApiError(400, 'invalid_request_error', 'parameter_invalid', message, param);

export const unknownParam = (param: string) =>
  new StripeApiError(400, 'invalid_request_error', 'parameter_unknown', `Received unknown parameter: ${param}`, param);

export const missingParam = (param: string) =>
  new StripeApiError(400, 'invalid_request_error', 'parameter_missing', `Missing required param: ${param}.`, param);
