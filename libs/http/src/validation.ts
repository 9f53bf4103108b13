import type { z } from 'zod';
import { ValidationError } from '@customer-sync/service-core';

/** Parses with a zod schema; failures become a 400 listing each field path and what is wrong with it. */
export function validate<S extends z.ZodType>(schema: S, input: unknown, where = 'body'): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const details = result.error.issues.map((issue) => ({
    path: [where, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  throw new ValidationError(details, `invalid ${where}: ${details.map((d) => d.path).join(', ')}`);
}
