import type { ToolJobData } from '@agentops/core';
import { ATTR, SPAN, setSpanError, withSpan } from '@agentops/telemetry';
import type { ToolCallOutcome } from './tool-executor.ts';

/**
 * One tool call attempt as a `tool.<name>` span: status, error type, `retry_safe`, attempt,
 * latency, and whether the worker will try again. A tool error is a value (invariant 1), so the
 * span ends normally and is only marked as an error; breaker transitions nest inside it.
 */
export function traceToolCall(
  call: ToolJobData,
  execute: () => Promise<ToolCallOutcome>,
): Promise<ToolCallOutcome> {
  return withSpan(
    SPAN.toolCall(call.tool),
    { [ATTR.toolName]: call.tool, [ATTR.toolCallId]: call.callId },
    async (span) => {
      const started = performance.now();
      const outcome = await execute();
      const { result } = outcome;
      span.setAttributes({
        [ATTR.toolStatus]: result.status,
        [ATTR.toolRetrySafe]: result.retry_safe,
        [ATTR.toolAttempt]: outcome.attempt,
        [ATTR.toolLatencyMs]: Math.round(performance.now() - started),
        [ATTR.toolCacheHit]: outcome.cached,
        [ATTR.toolRetryScheduled]: outcome.retry !== undefined,
        ...(result.error_type ? { [ATTR.toolErrorType]: result.error_type } : {}),
        ...(outcome.httpStatus ? { [ATTR.httpStatus]: outcome.httpStatus } : {}),
      });
      if (result.status === 'error') setSpanError(span, result.error_type ?? 'error');
      return outcome;
    },
  );
}
