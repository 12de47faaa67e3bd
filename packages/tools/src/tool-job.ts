import type { ContractSet } from '@agentops/contracts';
import { ToolJobData, type ToolJobData as ToolJobDataType, type ToolResult, toolError } from '@agentops/core';
import { type Logger, withJobSpan } from '@agentops/telemetry';
import { type BackoffStrategy, type Job, type Queue, Worker } from 'bullmq';
import type { ToolCallOutcome, ToolExecutor } from './tool-executor.ts';
import { traceToolCall } from './tool-tracing.ts';

/** What a tool job completes with; the turn reads it through `getChildrenValues`. */
export interface ToolJobResult {
  result: ToolResult;
  attempts: number;
  latencyMs: number;
  cached: boolean;
}

/** Thrown to make BullMQ retry a call after the contract's backoff; carries the server's Retry-After. */
export class RetryableToolError extends Error {
  readonly retryAfterMs: number | undefined;
  constructor(result: ToolResult, retryAfterMs: number | undefined) {
    super(result.message);
    this.name = 'RetryableToolError';
    this.retryAfterMs = retryAfterMs;
  }
}

/**
 * The contract's backoff: fixed or exponential from `base_delay_ms`, capped at `max_delay_ms`,
 * with jitter so that replicas do not retry in step, and never sooner than the server's Retry-After.
 */
export function contractBackoff(contracts: ContractSet): BackoffStrategy {
  return (attemptsMade, _type, error, job) => {
    const data = ToolJobData.safeParse(job?.data);
    const policy = data.success ? contracts.tools.get(data.data.tool)?.retry_policy : undefined;
    if (!policy) return 1_000;
    const exponent = policy.strategy === 'exponential_backoff' ? Math.max(0, attemptsMade - 1) : 0;
    let delay = Math.min(policy.max_delay_ms, policy.base_delay_ms * 2 ** exponent);
    if (policy.jitter) delay = delay / 2 + Math.random() * (delay / 2);
    const retryAfter = error instanceof RetryableToolError ? (error.retryAfterMs ?? 0) : 0;
    return Math.round(Math.max(delay, retryAfter));
  };
}

export interface ToolJobProcessorDeps {
  executor: ToolExecutor;
  contracts: ContractSet;
  queues: Map<string, Queue>;
  logger: Logger;
}

export function createToolJobProcessor(deps: ToolJobProcessorDeps) {
  const run = async (job: Job, signal?: AbortSignal): Promise<ToolJobResult> => {
    const parsed = ToolJobData.safeParse(job.data);
    if (!parsed.success) {
      deps.logger.warn({ jobId: job.id, queue: job.queueName }, 'tool job with malformed data');
      const result = toolError('permanent', 'the tool call was malformed', { retrySafe: false });
      return { result, attempts: 0, latencyMs: 0, cached: false };
    }
    const call = parsed.data;
    const outcome = await traceToolCall(call, () =>
      deps.executor.execute(call, job.id ?? call.callId, signal),
    );
    const latencyMs = Date.now() - job.timestamp;
    logToolCall(deps, call, outcome, latencyMs);

    const queue = deps.queues.get(job.queueName);
    const retryAfterMs = outcome.result.retry_after_ms;
    // A 429 slows the whole queue, not only this call: every replica backs off from the backend.
    if (outcome.result.error_type === 'rate_limit' && retryAfterMs && queue) {
      await queue.rateLimit(retryAfterMs);
      deps.logger.info(
        { tool: call.tool, queue: job.queueName, retryAfterMs },
        'tool queue slowed by the backend',
      );
    }
    if (outcome.retry?.rateLimited && retryAfterMs && queue) throw Worker.RateLimitError();
    if (outcome.retry) throw new RetryableToolError(outcome.result, outcome.retry.afterMs);
    return { result: outcome.result, attempts: outcome.attempt, latencyMs, cached: outcome.cached };
  };
  // A span per attempt, in the trace of the turn that asked for the call.
  return (job: Job, _token?: string, signal?: AbortSignal): Promise<ToolJobResult> =>
    withJobSpan(job, () => run(job, signal));
}

/** One structured line per call, carrying exactly the fields the tool's contract lists. */
function logToolCall(
  deps: ToolJobProcessorDeps,
  call: ToolJobDataType,
  outcome: ToolCallOutcome,
  latencyMs: number,
) {
  const contract = deps.contracts.tools.get(call.tool);
  const available: Record<string, unknown> = {
    'tool.name': call.tool,
    'tool.status': outcome.result.status,
    'tool.error_type': outcome.result.error_type,
    retry_safe: outcome.result.retry_safe,
    latency_ms: latencyMs,
    attempt: outcome.attempt,
    session_id: call.sessionId,
    turn_id: call.turnId,
    call_id: call.callId,
    http_status: outcome.httpStatus,
    cache_hit: outcome.cached,
    confirmation_id: call.confirmationId,
  };
  const fields: Record<string, unknown> = {};
  for (const field of contract?.logs ?? ['tool.name', 'tool.status']) {
    fields[field] = field.startsWith('args.') ? call.arguments[field.slice(5)] : available[field];
  }
  if (outcome.breaker && outcome.breaker !== 'none') {
    deps.logger.warn({ tool: call.tool, transition: outcome.breaker }, 'tool circuit breaker changed');
  }
  deps.logger.info(fields, 'tool call finished');
}
