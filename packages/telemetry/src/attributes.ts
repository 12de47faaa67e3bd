/**
 * Span attribute names. OpenTelemetry's semantic conventions where one exists (`gen_ai.*`,
 * `messaging.*`, `http.*`); ours otherwise. The session trace tree and the metrics read spans by
 * these names, so they are stable: add, never rename.
 */
export const ATTR = {
  sessionId: 'session.id',
  turnId: 'turn.id',

  genAiOperation: 'gen_ai.operation.name',
  genAiSystem: 'gen_ai.system',
  genAiProvider: 'gen_ai.provider.name',
  genAiRequestModel: 'gen_ai.request.model',
  genAiResponseModel: 'gen_ai.response.model',
  genAiMaxTokens: 'gen_ai.request.max_tokens',
  genAiInputTokens: 'gen_ai.usage.input_tokens',
  genAiOutputTokens: 'gen_ai.usage.output_tokens',
  genAiFinishReasons: 'gen_ai.response.finish_reasons',
  genAiResponseId: 'gen_ai.response.id',
  llmCostUsd: 'llm.cost_usd',
  llmLatencyMs: 'llm.latency_ms',

  toolName: 'tool.name',
  toolStatus: 'tool.status',
  toolErrorType: 'tool.error_type',
  toolRetrySafe: 'tool.retry_safe',
  toolAttempt: 'tool.attempt',
  toolLatencyMs: 'tool.latency_ms',
  toolCacheHit: 'tool.cache_hit',
  toolCallId: 'tool.call_id',
  /** Set when the worker will run the same call again after a backoff. */
  toolRetryScheduled: 'tool.retry_scheduled',
  httpStatus: 'http.response.status_code',

  breakerScope: 'breaker.scope',
  breakerKey: 'breaker.key',
  breakerTransition: 'breaker.transition',
  breakerReason: 'breaker.reason',

  turnStatus: 'turn.status',
  turnSteps: 'turn.steps',
  turnInputTokens: 'turn.input_tokens',
  turnOutputTokens: 'turn.output_tokens',
  turnCostUsd: 'turn.cost_usd',
  turnDurationMs: 'turn.duration_ms',
  turnAcceptedAtMs: 'turn.accepted_at_ms',
  turnToolCalls: 'turn.tool_calls',

  escalationReason: 'escalation.reason',
  escalationId: 'escalation.id',

  messagingSystem: 'messaging.system',
  messagingOperation: 'messaging.operation.type',
  messagingDestination: 'messaging.destination.name',
  messagingMessageId: 'messaging.message.id',
  messagingJobName: 'messaging.bullmq.job.name',
  messagingAttempt: 'messaging.bullmq.job.attempts_started',
  messagingWaitMs: 'messaging.bullmq.wait_ms',
  messagingOutcome: 'messaging.bullmq.outcome',

  injectionSource: 'injection.source',
} as const;

/** Span names the platform emits; anything else an issue adds is drawn generically. */
export const SPAN = {
  llmCompletion: 'llm.completion',
  toolCall: (tool: string) => `tool.${tool}`,
  breakerTransition: 'breaker.transition',
  turnEnd: (status: string) => `turn.${status}`,
  escalation: 'escalation',
  injectionDetected: 'guard.injection_detected',
} as const;
