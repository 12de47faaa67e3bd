import { setTimeout as sleepFor } from 'node:timers/promises';
import type { ModelProviderName, ModelSpec } from '@agentops/core';
import { type ModelAttemptFailure, ModelUnavailableError, ProviderError } from './errors.ts';
import type { Completion, CompletionRequest, ModelProvider } from './provider.ts';

export interface RetryPolicy {
  /** Attempts on one model before the next model is tried. */
  maxAttempts: number;
  /** First pause; it doubles with each attempt (with jitter). */
  baseDelayMs: number;
  /** Longest pause; a provider that asks for a longer one is left for the next model at once. */
  maxDelayMs: number;
  /** Timeout of one attempt, reading the whole answer included. */
  attemptTimeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 3,
  baseDelayMs: 500,
  maxDelayMs: 20_000,
  attemptTimeoutMs: 60_000,
};

export interface ServedCompletion {
  completion: Completion;
  /** The model that answered: the first one asked, or a fallback. */
  model: ModelSpec;
  /** The attempts that failed before it answered. */
  failures: ModelAttemptFailure[];
}

export interface FallbackOptions {
  policy: RetryPolicy;
  /** Cancels the whole call (shutdown); never retried. */
  signal?: AbortSignal;
  /** Told of each failed attempt and of the pause before the next one, for logs and traces. */
  onFailure?: (failure: ModelAttemptFailure, next: { retryInMs?: number; fallbackTo?: string }) => void;
  /** Replaceable so that tests can check the pauses without waiting them. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
}

export type FallbackRequest = Omit<CompletionRequest, 'model' | 'signal'>;

/**
 * Calls the first model, retrying transient provider failures (429, 529, 5xx, timeouts) with
 * exponential backoff that never undercuts the provider's `retry-after`, then moves on to the next
 * model (the router lists the same tier on other providers). A request the provider rejects as
 * malformed (400-class) is neither retried nor sent elsewhere: it would fail the same way.
 */
export async function completeWithFallback(
  providers: ReadonlyMap<ModelProviderName | string, ModelProvider>,
  models: readonly ModelSpec[],
  request: FallbackRequest,
  options: FallbackOptions,
): Promise<ServedCompletion> {
  const { policy } = options;
  const sleep = options.sleep ?? ((ms, signal) => sleepFor(ms, undefined, { signal }));
  const random = options.random ?? Math.random;
  const failures: ModelAttemptFailure[] = [];

  for (const [index, model] of models.entries()) {
    const nextModel = models[index + 1]?.id;
    const provider = providers.get(model.provider);
    for (let attempt = 1; attempt <= policy.maxAttempts; attempt++) {
      options.signal?.throwIfAborted();
      let error: ProviderError;
      try {
        const completion = await attemptOnce(provider, model, request, policy, options.signal);
        return { completion, model, failures };
      } catch (thrown) {
        if (options.signal?.aborted) throw thrown;
        error = thrown as ProviderError;
      }
      const failure: ModelAttemptFailure = {
        model: model.id,
        provider: model.provider,
        attempt,
        kind: error.kind,
        ...(error.status !== undefined ? { status: error.status } : {}),
        message: error.message.slice(0, 300),
      };
      failures.push(failure);
      if (!error.fallbackAllowed) {
        options.onFailure?.(failure, {});
        throw error;
      }
      const pause =
        error.retryable && attempt < policy.maxAttempts
          ? pauseBefore(attempt, error, policy, random)
          : undefined;
      if (pause === undefined) {
        options.onFailure?.(failure, nextModel ? { fallbackTo: nextModel } : {});
        break;
      }
      options.onFailure?.(failure, { retryInMs: pause });
      await sleep(pause, options.signal);
    }
  }
  throw new ModelUnavailableError(failures);
}

async function attemptOnce(
  provider: ModelProvider | undefined,
  model: ModelSpec,
  request: FallbackRequest,
  policy: RetryPolicy,
  outer: AbortSignal | undefined,
): Promise<Completion> {
  if (!provider) {
    throw new ProviderError('unavailable', `provider ${model.provider} is not configured`, {
      provider: model.provider,
    });
  }
  const timeout = AbortSignal.timeout(policy.attemptTimeoutMs);
  const signal = outer ? AbortSignal.any([outer, timeout]) : timeout;
  try {
    return await provider.complete({
      ...request,
      model,
      maxOutputTokens: Math.min(request.maxOutputTokens, model.max_output_tokens),
      signal,
    });
  } catch (error) {
    // Our own attempt timer fired: whatever the SDK called it, the provider was too slow.
    if (timeout.aborted && !outer?.aborted) {
      throw new ProviderError('timeout', `no answer within ${policy.attemptTimeoutMs} ms`, {
        provider: model.provider,
        cause: error,
      });
    }
    if (error instanceof ProviderError) throw error;
    // A provider that throws something unclassified (a bug, a parse failure) is treated as flaky.
    throw new ProviderError('bad_response', error instanceof Error ? error.message : String(error), {
      provider: model.provider,
      cause: error,
    });
  }
}

/** The pause before the next attempt, or undefined when the provider asks for more than we wait. */
function pauseBefore(
  attempt: number,
  error: ProviderError,
  policy: RetryPolicy,
  random: () => number,
): number | undefined {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  // Equal jitter: replicas that failed together do not all come back at the same instant.
  const backoff = Math.round(exponential / 2 + (random() * exponential) / 2);
  if (error.retryAfterMs === undefined) return backoff;
  if (error.retryAfterMs > policy.maxDelayMs) return undefined;
  return Math.max(backoff, error.retryAfterMs);
}
