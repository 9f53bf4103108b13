import {
  ApiServiceEnv,
  DbWriterEnv,
  MigrateEnv,
  StripeEmulatorEnv,
  StripeSyncWorkerEnv,
  WebhookIngressEnv,
} from '@customer-sync/config';
import type { z } from 'zod';

/** The config schema (libs/config) each deployable reads, by its app name; `migrate` is the migration command. */
export const SERVICE_SCHEMAS: Record<string, z.ZodObject> = {
  'api-service': ApiServiceEnv,
  'webhook-ingress': WebhookIngressEnv,
  'stripe-sync-worker': StripeSyncWorkerEnv,
  'db-writer': DbWriterEnv,
  'stripe-emulator': StripeEmulatorEnv,
  migrate: MigrateEnv,
};

/** Variables a schema requires: those with neither a default nor optional. */
export function requiredVariables(schema: z.ZodObject): string[] {
  return Object.entries(schema.shape)
    .filter(([, field]) => !(field as z.ZodType).safeParse(undefined).success)
    .map(([name]) => name);
}

/** The port a service listens on by default (its PORT field's default). */
export function defaultPort(schema: z.ZodObject): number {
  return (schema.shape.PORT as z.ZodType).parse(undefined) as number;
}
