import { type Logger, pino } from 'pino';
import { redactLogObject } from './redaction.ts';

export type { Logger } from 'pino';

export function createLogger(service: string, level = 'info'): Logger {
  return pino({
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: {
      level: (label) => ({ level: label }),
      // Credentials by field name; secrets, canaries, contact details and system-prompt copies by
      // value (see redaction.ts).
      log: (object) => redactLogObject(object) as Record<string, unknown>,
    },
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
