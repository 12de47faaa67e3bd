import {
  type Completion,
  completeWithFallback,
  DEFAULT_RETRY_POLICY,
  type FallbackRequest,
  type ModelProvider,
  type RetryPolicy,
} from '@agentops/llm';
import type { Logger } from '@agentops/telemetry';
import type { ModelChoice } from './model-choice.ts';

export interface ModelCallDeps {
  providers: ReadonlyMap<string, ModelProvider>;
  logger: Logger;
}

export interface ModelCallSettings {
  /** Timeout of one attempt. */
  modelTimeoutMs: number;
  /** Attempts per model and backoff; the defaults of DEFAULT_RETRY_POLICY otherwise. */
  modelRetry?: Partial<Omit<RetryPolicy, 'attemptTimeoutMs'>>;
}

export interface ModelCallContext {
  sessionId: string;
  turnId: string;
  step: number;
}

/**
 * Calls the chosen model, with retries and the router's fallbacks, and logs the routing decision
 * as it was served: when a fallback answered, the choice returned (and stored on the turn) is
 * the model that answered, with the reason it was not the first one.
 */
export async function callChosenModel(
  deps: ModelCallDeps,
  choice: ModelChoice,
  request: FallbackRequest,
  context: ModelCallContext,
  settings: ModelCallSettings,
): Promise<{ choice: ModelChoice; completion: Completion }> {
  const policy: RetryPolicy = {
    ...DEFAULT_RETRY_POLICY,
    ...settings.modelRetry,
    attemptTimeoutMs: settings.modelTimeoutMs,
  };
  const served = await completeWithFallback(
    deps.providers,
    [choice.model, ...(choice.fallbacks ?? [])],
    request,
    {
      policy,
      onFailure: (failure, next) =>
        deps.logger.warn(
          {
            sessionId: context.sessionId,
            turnId: context.turnId,
            step: context.step,
            model: failure.model,
            provider: failure.provider,
            attempt: failure.attempt,
            kind: failure.kind,
            httpStatus: failure.status,
            retryInMs: next.retryInMs,
            fallbackTo: next.fallbackTo,
            err: failure.message,
          },
          'model call attempt failed',
        ),
    },
  );
  const lastFailure = served.failures.at(-1);
  const servedChoice: ModelChoice =
    served.model.id === choice.model.id
      ? choice
      : {
          model: served.model,
          tier: served.model.tier,
          reason:
            `${choice.reason}; fell back from ${choice.model.id} (${lastFailure?.kind ?? 'failed'})`.slice(
              0,
              300,
            ),
        };
  deps.logger.info(
    {
      sessionId: context.sessionId,
      turnId: context.turnId,
      step: context.step,
      model: servedChoice.model.id,
      provider: servedChoice.model.provider,
      tier: servedChoice.tier,
      reason: servedChoice.reason,
      failedAttempts: served.failures.length,
      ...(servedChoice !== choice ? { fallbackFrom: choice.model.id } : {}),
    },
    'model routed',
  );
  return { choice: servedChoice, completion: served.completion };
}
