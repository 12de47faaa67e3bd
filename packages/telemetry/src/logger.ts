import { trace } from '@opentelemetry/api';
import { type Logger, pino } from 'pino';
import { ATTR } from './attributes.ts';
import { redactLogObject } from './redaction.ts';

export type { Logger } from 'pino';

/**
 * Every line names the trace and span it was written in, and the session and turn when the span
 * knows them, so that a log line leads to `npm run trace -- <session>` and to the trace in the
 * collector. Fields the caller wrote win over these.
 */
function traceFields(object: object): Record<string, unknown> {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const context = span.spanContext();
  const fields: Record<string, unknown> = { trace_id: context.traceId, span_id: context.spanId };
  // The SDK's spans expose their attributes; a remote or no-op span has none.
  const attributes = (span as { attributes?: Record<string, unknown> }).attributes;
  if (attributes) {
    // A line that names them already (as `sessionId` or the contracts' `session_id`) keeps its own.
    if (!('sessionId' in object || 'session_id' in object) && typeof attributes[ATTR.sessionId] === 'string')
      fields.sessionId = attributes[ATTR.sessionId];
    if (!('turnId' in object || 'turn_id' in object) && typeof attributes[ATTR.turnId] === 'string')
      fields.turnId = attributes[ATTR.turnId];
  }
  return fields;
}

export function createLogger(service: string, level = 'info'): Logger {
  return pino({
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    mixin: traceFields,
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
