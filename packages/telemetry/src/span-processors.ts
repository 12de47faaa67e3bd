import { type Context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { hrTimeToMilliseconds } from '@opentelemetry/core';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import { ATTR } from './attributes.ts';
import type { MetricsRecorder } from './metrics/metrics-recorder.ts';
import { recordSpanMetrics } from './metrics/span-metrics.ts';
import type { SessionSpanWriter, StoredSpan } from './session-trace-store.ts';

const INHERITED = [ATTR.sessionId, ATTR.turnId] as const;

/**
 * Gives a span its parent's session and turn when it has none: a model call or a tool call need
 * not be told which session it serves to land in that session's trace and log lines. Only local
 * parents have readable attributes; a job's consumer span sets them from the job's data.
 */
export class SessionContextProcessor implements SpanProcessor {
  onStart(span: Span, parentContext: Context): void {
    const parent = trace.getSpan(parentContext) as { attributes?: Record<string, unknown> } | undefined;
    const inherited = parent?.attributes;
    if (!inherited) return;
    for (const name of INHERITED) {
      const value = inherited[name];
      if (span.attributes[name] === undefined && typeof value === 'string') span.setAttribute(name, value);
    }
  }
  onEnd(): void {}
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** Keeps every span that belongs to a session in that session's list in Redis. */
export class SessionSpanProcessor implements SpanProcessor {
  private readonly writer: SessionSpanWriter;
  private readonly service: string;

  constructor(writer: SessionSpanWriter, service: string) {
    this.writer = writer;
    this.service = service;
  }

  onStart(): void {}
  onEnd(span: ReadableSpan): void {
    const sessionId = span.attributes[ATTR.sessionId];
    if (typeof sessionId === 'string') this.writer.add(sessionId, toStoredSpan(span, this.service));
  }
  forceFlush(): Promise<void> {
    return this.writer.flush();
  }
  shutdown(): Promise<void> {
    return this.writer.flush();
  }
}

/**
 * Feeds the Redis aggregates behind `/metrics` and the alerts from finished spans: every model
 * call, tool call, queue wait, turn end, breaker transition and injection is a span already, so
 * the numbers and the traces cannot disagree, and call sites need no second instrument.
 */
export class MetricsSpanProcessor implements SpanProcessor {
  private readonly recorder: MetricsRecorder;
  private readonly onError: (error: unknown) => void;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(recorder: MetricsRecorder, onError: (error: unknown) => void) {
    this.recorder = recorder;
    this.onError = onError;
  }

  onStart(): void {}
  onEnd(span: ReadableSpan): void {
    const recorded = recordSpanMetrics(this.recorder, span).catch(this.onError);
    this.inFlight.add(recorded);
    recorded.finally(() => this.inFlight.delete(recorded));
  }
  async forceFlush(): Promise<void> {
    await Promise.all(this.inFlight);
  }
  shutdown(): Promise<void> {
    return this.forceFlush();
  }
}

const KINDS: Record<SpanKind, StoredSpan['kind']> = {
  [SpanKind.INTERNAL]: 'internal',
  [SpanKind.SERVER]: 'server',
  [SpanKind.CLIENT]: 'client',
  [SpanKind.PRODUCER]: 'producer',
  [SpanKind.CONSUMER]: 'consumer',
};

const STATUSES: Record<SpanStatusCode, StoredSpan['status']> = {
  [SpanStatusCode.UNSET]: 'unset',
  [SpanStatusCode.OK]: 'ok',
  [SpanStatusCode.ERROR]: 'error',
};

export function toStoredSpan(span: ReadableSpan, service: string): StoredSpan {
  const startMs = hrTimeToMilliseconds(span.startTime);
  const attributes: StoredSpan['attributes'] = {};
  for (const [name, value] of Object.entries(span.attributes)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      attributes[name] = value;
    } else if (Array.isArray(value)) {
      attributes[name] = value.filter(
        (item): item is string | number | boolean => item !== null && item !== undefined,
      );
    }
  }
  const context = span.spanContext();
  return {
    traceId: context.traceId,
    spanId: context.spanId,
    ...(span.parentSpanContext ? { parentSpanId: span.parentSpanContext.spanId } : {}),
    name: span.name,
    kind: KINDS[span.kind] ?? 'internal',
    service,
    startAt: new Date(Math.floor(startMs)).toISOString(),
    startMs,
    durationMs: Math.round(hrTimeToMilliseconds(span.duration) * 1000) / 1000,
    status: STATUSES[span.status.code] ?? 'unset',
    ...(span.status.message ? { statusMessage: span.status.message } : {}),
    attributes,
  };
}
