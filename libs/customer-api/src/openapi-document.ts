import { z } from 'zod';
import {
  CreateCustomerRequest,
  Customer,
  CustomerHistory,
  CustomerList,
  ErrorBody,
  UpdateCustomerRequest,
} from '@customer-sync/contracts';

const schema = (s: z.ZodType, io: 'input' | 'output') => z.toJSONSchema(s, { io, unrepresentable: 'any' });
const json = (ref: string) => ({ 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } });
const error = (description: string) => ({ description, content: json('Error') });
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const idempotencyHeader = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description: 'Same key and body replays the first answer; same key with another body is 409.',
  schema: { type: 'string', maxLength: 255 },
};
const accepted = { description: 'Accepted: stored and queued for Stripe', content: json('Customer') };
/** PATCH's 400: the schema's checks, and the one rule the schema cannot state (it depends on the path's id). */
const invalidUpdate = {
  description:
    'Invalid input: `validation_failed`, `details` naming each path. Besides the schema, `metadata.internal_id` equal to the ' +
    "customer's own id is refused (path `body.metadata.internal_id`): it is the legacy link key to Stripe, hidden on read, so it " +
    'could never be seen or removed. Checked before the customer is looked up (an unknown id with such a body is 400 too); nothing ' +
    'is stored and an Idempotency-Key is not used up.',
  content: {
    'application/json': {
      schema: { $ref: '#/components/schemas/Error' },
      examples: {
        ownLegacyLinkKey: {
          summary: 'metadata.internal_id equal to the customer’s own id',
          value: {
            error: {
              code: 'validation_failed',
              message: 'the request is invalid',
              details: [
                {
                  path: 'body.metadata.internal_id',
                  message: "internal_id equal to the customer's own id is reserved (the legacy link to Stripe)",
                },
              ],
            },
          },
        },
      },
    },
  },
};

/** OpenAPI 3.1 document of the REST API, generated from the same zod schemas the routes validate with. */
export function buildOpenApiDocument(serverUrl = '/') {
  return {
    openapi: '3.1.0',
    info: {
      title: 'customer-sync API',
      version: '1.0.0',
      description: 'Customers kept in step between PostgreSQL and Stripe.',
    },
    servers: [{ url: serverUrl }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: {
        CreateCustomerRequest: schema(CreateCustomerRequest, 'input'),
        UpdateCustomerRequest: schema(UpdateCustomerRequest, 'input'),
        Customer: schema(Customer, 'output'),
        CustomerList: schema(CustomerList, 'output'),
        CustomerHistory: schema(CustomerHistory, 'output'),
        Error: schema(ErrorBody, 'output'),
      },
    },
    paths: {
      '/customers': {
        post: {
          summary: 'Create a customer',
          parameters: [idempotencyHeader],
          requestBody: { required: true, content: json('CreateCustomerRequest') },
          responses: {
            202: accepted,
            400: error('Invalid input'),
            401: error('Missing or wrong API key'),
            409: error('Email taken or Idempotency-Key reused'),
          },
        },
        get: {
          summary: 'List customers, newest first',
          parameters: [
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
            { name: 'cursor', in: 'query', schema: { type: 'string' } },
            { name: 'email', in: 'query', schema: { type: 'string', format: 'email' } },
          ],
          responses: {
            200: { description: 'A page of customers', content: json('CustomerList') },
            400: error('Invalid query'),
            401: error('Missing or wrong API key'),
          },
        },
      },
      '/customers/{id}/history': {
        get: {
          summary:
            'What changed this customer, oldest first: API writes and their commands, sync results, Stripe events and their outcomes',
          parameters: [
            idParam,
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100, default: 50 } },
            { name: 'cursor', in: 'query', schema: { type: 'string' } },
          ],
          responses: {
            200: { description: 'A page of history entries', content: json('CustomerHistory') },
            404: error('No such customer'),
            401: error('Missing or wrong API key'),
          },
        },
      },
      '/customers/{id}': {
        get: {
          summary: 'Get a customer',
          parameters: [idParam],
          responses: {
            200: { description: 'The customer', content: json('Customer') },
            404: error('No such customer'),
            401: error('Missing or wrong API key'),
          },
        },
        patch: {
          summary: 'Update a customer',
          parameters: [idParam, idempotencyHeader],
          requestBody: { required: true, content: json('UpdateCustomerRequest') },
          responses: {
            202: accepted,
            400: invalidUpdate,
            401: error('Missing or wrong API key'),
            404: error('No such customer'),
            409: error('Email taken or Idempotency-Key reused'),
          },
        },
        delete: {
          summary: 'Delete a customer (then deleted in Stripe)',
          parameters: [idParam, idempotencyHeader],
          responses: { 202: accepted, 401: error('Missing or wrong API key'), 404: error('No such customer') },
        },
      },
    },
  };
}
