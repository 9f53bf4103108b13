import { existsSync } from 'node:fs';
import { config as loadDotenv } from 'dotenv';
import { z } from 'zod';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

export type Env = Record<string, string | undefined>;

/**
 * Validates environment variables against a schema whose keys are the variable names.
 * Every problem names its variable; secrets are never echoed back.
 */
export function parseEnv<S extends z.ZodObject>(schema: S, env: Env): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? '(unknown)');
    return env[name] === undefined || env[name] === ''
      ? `${name} is required`
      : `${name} is malformed: ${issue.message}`;
  });
  throw new ConfigError(problems);
}

/** The only reader of process.env: loads `.env` in development (not in tests or production), then validates. */
export function loadConfig<S extends z.ZodObject>(schema: S, env: Env = process.env): z.infer<S> {
  const development = env.NODE_ENV === undefined || env.NODE_ENV === 'development';
  if (env === process.env && development && existsSync('.env')) {
    loadDotenv({ path: '.env', quiet: true });
  }
  return parseEnv(schema, env);
}
