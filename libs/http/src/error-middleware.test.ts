import express from 'express';
import request from 'supertest';
import { z } from 'zod';
import { createLogger } from '@customer-sync/logger';
import { ConflictError, TooManyRequestsError, ValidationError } from '@customer-sync/service-core';
import { errorMiddleware, MAX_ERROR_DETAILS, MAX_ERROR_TEXT, notFoundMiddleware, validate } from './index';

const logger = createLogger({ service: 'test', silent: true });

function appThrowing(error: unknown) {
  const app = express();
  app.use(express.json({ limit: '10b' }));
  app.post('/x', () => {
    throw error;
  });
  app.use(notFoundMiddleware);
  app.use(errorMiddleware(logger));
  return app;
}

describe('error middleware', () => {
  it('maps an AppError to its status and body', async () => {
    const res = await request(appThrowing(new ConflictError('email_taken', 'email in use'))).post('/x');
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ error: { code: 'email_taken', message: 'email in use' } });
  });

  it('maps a validation failure to 400 with field paths', async () => {
    let thrown: unknown;
    try {
      validate(z.object({ email: z.email() }), { email: 'nope' });
    } catch (e) {
      thrown = e;
    }
    const res = await request(appThrowing(thrown)).post('/x');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.details).toEqual([{ path: 'body.email', message: expect.any(String) }]);
  });

  it('hides unknown errors behind a generic 500 without stack or SQL', async () => {
    const res = await request(appThrowing(new Error('select * from customers failed at line 3'))).post('/x');
    expect(res.status).toBe(500);
    expect(res.body.error.code).toBe('internal_error');
    expect(JSON.stringify(res.body)).not.toMatch(/select|stack|at line/);
  });

  it('answers 400 for malformed JSON and 413 for an oversized body', async () => {
    const app = appThrowing(new Error('unreached'));
    const bad = await request(app).post('/x').set('content-type', 'application/json').send('{"a":');
    expect(bad.status).toBe(400);
    const big = await request(app).post('/x').set('content-type', 'application/json').send('{"a":"0123456789"}');
    expect(big.status).toBe(413);
  });

  it('answers 404 in the same shape for an unknown route', async () => {
    const res = await request(appThrowing(new Error())).get('/nope');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });
});

describe('errors a client caused in the HTTP layer', () => {
  it('keeps the 4xx of a parser error instead of answering 500', async () => {
    const res = await request(
      appThrowing(Object.assign(new Error('incorrect header check'), { status: 400, expose: true })),
    ).post('/x');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('bad_request');
  });

  it('answers a malformed percent escape (URIError) with 400', async () => {
    const res = await request(appThrowing(new URIError('URI malformed'))).post('/x');
    expect(res.status).toBe(400);
  });

  it('bounds the body whatever the error carries: 20 details at most, each text clipped', async () => {
    const details = Array.from({ length: 5000 }, (_, i) => ({
      path: `body.metadata.${'k'.repeat(1000)}${i}`,
      message: 'x'.repeat(1000),
    }));
    const res = await request(appThrowing(new ValidationError(details, 'm'.repeat(100_000)))).post('/x');
    expect(res.status).toBe(400);
    expect(res.text.length).toBeLessThan(MAX_ERROR_DETAILS * 2 * (MAX_ERROR_TEXT + 50) + 1000);
    expect(res.body.error.details).toHaveLength(MAX_ERROR_DETAILS + 1);
    expect(res.body.error.details.at(-1).message).toBe(`${5000 - MAX_ERROR_DETAILS} more issues not listed`);
  });

  it('answers 429 with Retry-After', async () => {
    const res = await request(appThrowing(new TooManyRequestsError('slow down', 7))).post('/x');
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('7');
  });
});
