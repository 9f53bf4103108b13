import { Router, type Request, type Response } from 'express';
import {
  CreateCustomerRequest,
  CustomerIdParam,
  HistoryQuery,
  ListCustomersQuery,
  UpdateCustomerRequest,
} from '@customer-sync/contracts';
import type { CustomerService, WriteContext } from '@customer-sync/customer-api';
import { methodNotAllowed, noStore, requireJsonBody, validate } from '@customer-sync/http';
import { ValidationError } from '@customer-sync/service-core';
import { apiKeyAuth } from './api-key-auth';
import { authFailureLimit, perApiKeyLimit, type RateLimitOptions } from './rate-limits';

const MAX_IDEMPOTENCY_KEY = 255;

function writeContext(req: Request, res: Response): WriteContext {
  const idempotencyKey = req.header('idempotency-key') || undefined;
  if (idempotencyKey && idempotencyKey.length > MAX_IDEMPOTENCY_KEY) {
    throw new ValidationError(
      [{ path: 'header.idempotency-key', message: `at most ${MAX_IDEMPOTENCY_KEY} characters` }],
      'invalid Idempotency-Key',
    );
  }
  return { apiKey: res.locals.apiKey as string, idempotencyKey, correlationId: res.locals.requestId as string };
}

/**
 * /customers: no-store on every answer, the failed-authentication limit, bearer auth, the per-key
 * limit, JSON bodies only, then the routes; other methods on these paths answer 405.
 */
export function customerRoutes(service: CustomerService, apiKeys: string[], limits: RateLimitOptions): Router {
  const router = Router();
  const authFailures = authFailureLimit(limits);
  router.use(
    '/customers',
    noStore,
    authFailures.gate,
    apiKeyAuth(apiKeys, authFailures.recordFailure),
    perApiKeyLimit(limits),
    requireJsonBody,
  );

  router.post('/customers', async (req, res) => {
    const input = validate(CreateCustomerRequest, req.body);
    const result = await service.create(input, writeContext(req, res));
    res.status(result.status).json(result.body);
  });

  router.get('/customers', async (req, res) => {
    res.json(await service.list(validate(ListCustomersQuery, req.query, 'query')));
  });

  router.get('/customers/:id', async (req, res) => {
    const { id } = validate(CustomerIdParam, req.params, 'path');
    res.json(await service.get(id));
  });

  router.get('/customers/:id/history', async (req, res) => {
    const { id } = validate(CustomerIdParam, req.params, 'path');
    res.json(await service.history(id, validate(HistoryQuery, req.query, 'query')));
  });

  router.patch('/customers/:id', async (req, res) => {
    const { id } = validate(CustomerIdParam, req.params, 'path');
    const input = validate(UpdateCustomerRequest, req.body);
    const result = await service.update(id, input, writeContext(req, res));
    res.status(result.status).json(result.body);
  });

  router.delete('/customers/:id', async (req, res) => {
    const { id } = validate(CustomerIdParam, req.params, 'path');
    const result = await service.remove(id, writeContext(req, res));
    res.status(result.status).json(result.body);
  });

  router.all('/customers', methodNotAllowed(['GET', 'POST']));
  router.all('/customers/:id', methodNotAllowed(['GET', 'PATCH', 'DELETE']));
  return router;
}
