import { type Logger, pino } from 'pino';

export type { Logger } from 'pino';

/**
 * Paths that may carry credentials. Redaction is by path because a log line is an event with
 * stable field names (STYLE rule 12), never a string we would have to scan.
 */
const REDACTED_PATHS = [
  'authorization',
  'apiKey',
  'key',
  'password',
  'headers.authorization',
  'req.headers.authorization',
  '*.apiKey',
  '*.authorization',
];

export function createLogger(service: string, level = 'info'): Logger {
  return pino({
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    formatters: { level: (label) => ({ level: label }) },
  });
}

/**
 * The one line the launcher, tests and orchestration wait for. Written even when LOG_LEVEL hides
 * info, so a quieter log never looks like a service that failed to start.
 */
export function logReady(logger: Logger, fields: Record<string, unknown> = {}): void {
  if (logger.isLevelEnabled('info')) {
    logger.info(fields, 'ready');
    return;
  }
  const line = {
    level: 'info',
    time: new Date().toISOString(),
    ...logger.bindings(),
    ...fields,
    msg: 'ready',
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}
