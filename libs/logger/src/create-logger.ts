import winston from 'winston';
import { currentCorrelationId } from './correlation';
import { redactField, redactText } from './redact';

export type Logger = winston.Logger;

export interface LoggerOptions {
  service: string;
  level?: string;
  format?: 'json' | 'pretty';
  /** Silences output (tests that assert on nothing logged still exercise the formats). */
  silent?: boolean;
  /** Every line to stderr, leaving stdout to a command's own output (the CLI). */
  stderr?: boolean;
}

const LEVEL_KEYS = new Set(['level', 'message', 'service', 'timestamp', 'correlationId']);

const redactAndCorrelate = winston.format((info) => {
  const correlationId = (info.correlationId as string | undefined) ?? currentCorrelationId();
  if (correlationId) info.correlationId = correlationId;
  if (typeof info.message === 'string') info.message = redactText(info.message);
  for (const key of Object.keys(info)) {
    if (!LEVEL_KEYS.has(key)) info[key] = redactField(key, info[key]);
  }
  return info;
});

export function createLogger(options: LoggerOptions): Logger {
  const pretty = winston.format.combine(
    winston.format.colorize(),
    winston.format.printf(({ level, message, timestamp, correlationId, service, ...rest }) => {
      const extra = Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : '';
      return `${timestamp} ${level} [${service}]${correlationId ? ` (${correlationId})` : ''} ${message}${extra}`;
    }),
  );
  return winston.createLogger({
    level: options.level ?? 'info',
    silent: options.silent,
    defaultMeta: { service: options.service },
    format: winston.format.combine(
      winston.format.errors({ stack: true }),
      winston.format.timestamp(),
      redactAndCorrelate(),
      options.format === 'pretty' ? pretty : winston.format.json(),
    ),
    transports: [
      new winston.transports.Console(
        options.stderr ? { stderrLevels: ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'] } : {},
      ),
    ],
  });
}

export interface LoggingConfig {
  LOG_LEVEL: string;
  LOG_FORMAT?: 'json' | 'pretty';
  NODE_ENV: string;
}

/** JSON in production, readable elsewhere, unless LOG_FORMAT says otherwise. */
export function createServiceLogger(service: string, config: LoggingConfig): Logger {
  return createLogger({
    service,
    level: config.LOG_LEVEL,
    format: config.LOG_FORMAT ?? (config.NODE_ENV === 'production' ? 'json' : 'pretty'),
  });
}
