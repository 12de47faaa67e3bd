import {
  type Attributes,
  type Context,
  context,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { ATTR, SPAN } from './attributes.ts';
import { redactText } from './redaction.ts';

export type { Attributes, Span } from '@opentelemetry/api';
export { SpanKind } from '@opentelemetry/api';

/** Until `startTelemetry` runs, the global tracer is a no-op and these helpers cost nothing. */
export const tracer = () => trace.getTracer('agentops');

export interface SpanOptions {
  kind?: SpanKind;
  /** Parent context; the active one by default. */
  parent?: Context;
}

/**
 * Runs `fn` inside a new active span: spans started within it (in any await) are its children,
 * and log lines carry its ids. A thrown error marks the span as failed and is rethrown.
 *
 * The helper for any step worth seeing in a turn's trace, e.g. a budget reservation:
 *
 *     const reservation = await withSpan('budget.reserve', { 'session.id': id, 'budget.estimate_usd': usd },
 *       (span) => ledger.reserve(...));
 *
 * The span is in the session's trace (`GET /v1/sessions/:id/trace`) when it or an ancestor in this
 * process carries `session.id`, and in the OTLP export when one is configured.
 */
export async function withSpan<T>(
  name: string,
  attributes: Attributes,
  fn: (span: Span) => Promise<T>,
  options: SpanOptions = {},
): Promise<T> {
  const parent = options.parent ?? context.active();
  return tracer().startActiveSpan(
    name,
    { kind: options.kind ?? SpanKind.INTERNAL, attributes },
    parent,
    async (span) => {
      try {
        return await fn(span);
      } catch (error) {
        markFailed(span, error);
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

/** A span for something that happened at one instant (a breaker opening, a turn ending). */
export function emitSpan(name: string, attributes: Attributes, status?: 'error'): void {
  const span = tracer().startSpan(name, { kind: SpanKind.INTERNAL, attributes });
  if (status === 'error') span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
}

/** Marks a span whose work completed with a failure that is a value, not an exception (a tool error). */
export function setSpanError(span: Span, description: string): void {
  span.setStatus({ code: SpanStatusCode.ERROR, message: description });
}

/** Adds attributes to the active span, e.g. the session a request turned out to belong to. */
export function annotateActiveSpan(attributes: Attributes): void {
  trace.getActiveSpan()?.setAttributes(attributes);
}

/**
 * Marks a span failed with the error's type and a message with contact details, credential-shaped
 * values, canaries and system-prompt copies masked (as log lines are); the stack
 * stays in the logs, where it is needed, rather than in every exported span.
 */
export function markFailed(span: Span, error: unknown): void {
  const name = error instanceof Error ? error.name : 'Error';
  const message = redactText(error instanceof Error ? error.message : String(error)).slice(0, 500);
  span.recordException({ name, message });
  span.setStatus({ code: SpanStatusCode.ERROR, message: `${name}: ${message}` });
}

/** Opened, reopened (a failed probe), probe (one call let through to test), closed, reset by ops. */
export type BreakerTransitionName = 'opened' | 'reopened' | 'probe' | 'closed' | 'reset';

/**
 * Records a circuit breaker changing state. Tool breakers call it from the tool worker; the
 * budget breakers (session, user, global) call it the same way with their own scope and key.
 */
export function traceBreakerTransition(transition: {
  scope: string;
  key: string;
  transition: BreakerTransitionName;
  reason?: string;
  attributes?: Attributes;
}): void {
  emitSpan(SPAN.breakerTransition, {
    [ATTR.breakerScope]: transition.scope,
    [ATTR.breakerKey]: transition.key,
    [ATTR.breakerTransition]: transition.transition,
    ...(transition.reason ? { [ATTR.breakerReason]: transition.reason.slice(0, 200) } : {}),
    ...transition.attributes,
  });
}

/** What a turn's end span needs; a TurnRecord fits. */
export interface EndedTurn {
  sessionId: string;
  turnId: string;
  status: string;
  step: number;
  createdAt: string;
  endedAt?: string;
  usage: { inputTokens: number; outputTokens: number; costMicros: number };
  toolCalls: readonly unknown[];
}

/**
 * `turn.completed`, `turn.escalated` or `turn.failed`: the turn's totals, drawn as the last line
 * of its part of the trace tree and counted into the session duration and cost percentiles.
 */
export function traceTurnEnd(turn: EndedTurn): void {
  const acceptedAtMs = Date.parse(turn.createdAt);
  const endedAtMs = turn.endedAt ? Date.parse(turn.endedAt) : Date.now();
  emitSpan(
    SPAN.turnEnd(turn.status),
    {
      [ATTR.sessionId]: turn.sessionId,
      [ATTR.turnId]: turn.turnId,
      [ATTR.turnStatus]: turn.status,
      [ATTR.turnSteps]: turn.step,
      [ATTR.turnInputTokens]: turn.usage.inputTokens,
      [ATTR.turnOutputTokens]: turn.usage.outputTokens,
      [ATTR.turnCostUsd]: turn.usage.costMicros / 1_000_000,
      [ATTR.turnAcceptedAtMs]: acceptedAtMs,
      [ATTR.turnDurationMs]: Math.max(0, endedAtMs - acceptedAtMs),
      [ATTR.turnToolCalls]: turn.toolCalls.length,
    },
    turn.status === 'failed' ? 'error' : undefined,
  );
}

/**
 * A prompt injection was found (in a tool result or a user message). Counted into
 * `agentops_injection_detections_total` and the injection-rate alert; the detector calls this.
 */
export function traceInjectionDetection(detection: { source: string; attributes?: Attributes }): void {
  emitSpan(SPAN.injectionDetected, { [ATTR.injectionSource]: detection.source, ...detection.attributes });
}
