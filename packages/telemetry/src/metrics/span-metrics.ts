import { SpanKind } from '@opentelemetry/api';
import { hrTimeToMilliseconds } from '@opentelemetry/core';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { ATTR, SPAN } from '../attributes.ts';
import type { MetricsRecorder } from './metrics-recorder.ts';

const TERMINAL_TURN_SPANS = new Set(['completed', 'escalated', 'failed'].map(SPAN.turnEnd));

const number = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;
const string = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** Which aggregate a finished span feeds, if any (see MetricsSpanProcessor). */
export async function recordSpanMetrics(recorder: MetricsRecorder, span: ReadableSpan): Promise<void> {
  const attributes = span.attributes;
  const endedAtMs = hrTimeToMilliseconds(span.endTime);

  if (span.kind === SpanKind.CONSUMER) {
    const queue = string(attributes[ATTR.messagingDestination]);
    const waitMs = number(attributes[ATTR.messagingWaitMs]);
    if (queue && waitMs !== undefined)
      await recorder.queueWait(queue, waitMs, hrTimeToMilliseconds(span.startTime));
    return;
  }
  if (span.kind !== SpanKind.INTERNAL) return;

  if (span.name === SPAN.llmCompletion) {
    const tokens =
      (number(attributes[ATTR.genAiInputTokens]) ?? 0) + (number(attributes[ATTR.genAiOutputTokens]) ?? 0);
    const costMicros = Math.round((number(attributes[ATTR.llmCostUsd]) ?? 0) * 1_000_000);
    await recorder.modelUsage(tokens, costMicros, endedAtMs);
    return;
  }
  const tool = string(attributes[ATTR.toolName]);
  const toolStatus = string(attributes[ATTR.toolStatus]);
  if (tool && toolStatus && span.name === SPAN.toolCall(tool)) {
    await recorder.toolCall(tool, toolStatus === 'error', endedAtMs);
    return;
  }
  if (TERMINAL_TURN_SPANS.has(span.name)) {
    const sessionId = string(attributes[ATTR.sessionId]);
    const acceptedAtMs = number(attributes[ATTR.turnAcceptedAtMs]);
    if (!sessionId || acceptedAtMs === undefined) return;
    const costMicros = Math.round((number(attributes[ATTR.turnCostUsd]) ?? 0) * 1_000_000);
    const durationMs = number(attributes[ATTR.turnDurationMs]) ?? 0;
    await recorder.turnEnded(sessionId, acceptedAtMs, acceptedAtMs + durationMs, costMicros);
    return;
  }
  if (span.name === SPAN.breakerTransition) {
    const scope = string(attributes[ATTR.breakerScope]);
    const transition = string(attributes[ATTR.breakerTransition]);
    if (scope && transition) await recorder.breakerTransition(scope, transition);
    return;
  }
  if (span.name === SPAN.injectionDetected) await recorder.injectionDetected(endedAtMs);
}
