import { createHash } from 'node:crypto';
import express, { Router, type ErrorRequestHandler, type Request, type RequestHandler, type Response } from 'express';
import { authenticate, type KeyControls } from './api-keys';
import { customerParamsOf } from './form-metadata';
import { newId } from './ids';
import { API_VERSION, type RequestInfo, type StripeAccount } from './stripe-account';
import { StripeApiError } from './stripe-errors';

const requestInfo = (req: Request, res: Response): RequestInfo => ({
  requestId: res.getHeader('request-id') as string,
  idempotencyKey: req.header('idempotency-key') ?? null,
});

/**
 * Stripe's idempotency: the same key with the same parameters replays the saved answer
 * (Idempotent-Replayed: true); the same key with other parameters is a 400 idempotency_error.
 */
function idempotency(account: StripeAccount): RequestHandler {
  return (req, res, next) => {
    const key = req.header('idempotency-key');
    if (req.method !== 'POST' || !key) return next();
    const fingerprint = createHash('sha256')
      .update(`${req.method} ${req.path} ${JSON.stringify(req.body ?? {})}`)
      .digest('hex');
    const saved = account.idempotent(key);
    if (saved) {
      if (saved.fingerprint !== fingerprint) {
        return next(
          new StripeApiError(
            400,
            'idempotency_error',
            'idempotency_key_in_use',
            `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
          ),
        );
      }
      res.setHeader('Idempotent-Replayed', 'true');
      res.status(saved.status).json(saved.body);
      return;
    }
    res.setHeader('Idempotency-Key', key);
    const json = res.json.bind(res);
    res.json = (body: unknown) => {
      if (res.statusCode < 500 && res.statusCode !== 429)
        account.saveIdempotent(key, fingerprint, res.statusCode, body);
      return json(body);
    };
    next();
  };
}

export function stripeErrorHandler(): ErrorRequestHandler {
  return (error, _req, res, _next) => {
    const stripeError =
      error instanceof StripeApiError
        ? error
        : error?.type === 'entity.parse.failed'
          ? new StripeApiError(400, 'invalid_request_error', undefined, 'Invalid request body')
          : new StripeApiError(500, 'api_error', undefined, 'An unknown error occurred');
    res.status(stripeError.status).json(stripeError.toBody());
  };
}

/** The Stripe v1 endpoints the emulator serves, form-encoded as the official SDK sends them. */
export function apiRoutes(account: StripeAccount, faults: RequestHandler, keys: KeyControls): Router {
  const router = Router();
  router.use('/v1', (_req, res, next) => {
    res.setHeader('Request-Id', newId('req'));
    res.setHeader('Stripe-Version', res.req.header('stripe-version') ?? API_VERSION);
    next();
  });
  // The raw body is kept: metadata is read from it as Stripe reads it (see form-metadata.ts).
  const keepRaw = (req: unknown, _res: unknown, buf: Buffer) =>
    void ((req as { rawBody?: string }).rawBody = buf.toString('utf8'));
  // The body is read before the injected latency: Stripe acts on a request it received whole even if
  // the client hangs up while it works (read after, a gone client's body read as empty).
  router.use(
    '/v1',
    authenticate(keys),
    express.urlencoded({ extended: true, limit: '1mb', verify: keepRaw }),
    faults,
    idempotency(account),
  );

  const id = (req: Request) => String(req.params.id);
  router.post(
    '/v1/customers',
    (req, res) => void res.json(account.createCustomer(customerParamsOf(req), requestInfo(req, res))),
  );
  router.get(
    '/v1/customers/search',
    (req, res) =>
      void res.json(account.searchCustomers(String(req.query.query ?? ''), req.query.limit, req.query.page)),
  );
  router.get('/v1/customers/:id', (req, res) => void res.json(account.retrieveCustomer(id(req))));
  router.post(
    '/v1/customers/:id',
    (req, res) => void res.json(account.updateCustomer(id(req), customerParamsOf(req), requestInfo(req, res))),
  );
  router.delete(
    '/v1/customers/:id',
    (req, res) => void res.json(account.deleteCustomer(id(req), requestInfo(req, res))),
  );
  router.get('/v1/customers', (req, res) => void res.json(account.listCustomers(req.query)));
  router.get('/v1/events', (req, res) => void res.json(account.listEvents(req.query)));
  router.get('/v1/events/:id', (req, res) => void res.json(account.retrieveEvent(id(req))));
  router.post('/v1/webhook_endpoints', (req, res) => void res.json(account.createWebhookEndpoint(req.body ?? {})));
  router.get('/v1/webhook_endpoints', (req, res) => void res.json(account.listWebhookEndpoints(req.query)));
  router.get('/v1/webhook_endpoints/:id', (req, res) => void res.json(account.retrieveWebhookEndpoint(id(req))));
  router.post(
    '/v1/webhook_endpoints/:id',
    (req, res) => void res.json(account.updateWebhookEndpoint(id(req), req.body ?? {})),
  );
  router.delete('/v1/webhook_endpoints/:id', (req, res) => void res.json(account.deleteWebhookEndpoint(id(req))));
  router.use('/v1', (req, _res, next) =>
    next(
      new StripeApiError(
        404,
        'invalid_request_error',
        undefined,
        `Unrecognized request URL (${req.method}: ${req.path}).`,
      ),
    ),
  );
  return router;
}
