import { PlatformError } from '@agentops/core';

/**
 * What went wrong with a model call, in the terms the caller decides on:
 * - `rate_limited`, `overloaded`, `server`, `timeout`, `connection`, `bad_response`: the provider's
 *   trouble, worth another attempt after a pause, then another provider;
 * - `unavailable`: this provider cannot serve us at all (bad key, unknown model): no retry, but
 *   another provider may;
 * - `bad_request`: our request is wrong (400-class); the same request would fail again anywhere;
 * - `aborted`: the caller gave up (shutdown); nothing more is tried.
 */
export type ProviderFailureKind =
  | 'rate_limited'
  | 'overloaded'
  | 'server'
  | 'timeout'
  | 'connection'
  | 'bad_response'
  | 'unavailable'
  | 'bad_request'
  | 'aborted';

const RETRYABLE: ReadonlySet<ProviderFailureKind> = new Set([
  'rate_limited',
  'overloaded',
  'server',
  'timeout',
  'connection',
  'bad_response',
]);
const FALLBACK_ALLOWED: ReadonlySet<ProviderFailureKind> = new Set([...RETRYABLE, 'unavailable']);

/** A failed model call, carrying the decision: retry it, try another provider, or give up. */
export class ProviderError extends PlatformError {
  readonly kind: ProviderFailureKind;
  readonly provider: string;
  readonly status: number | undefined;
  /** What the provider asked us to wait (`retry-after-ms` / `retry-after`), if it said. */
  readonly retryAfterMs: number | undefined;

  constructor(
    kind: ProviderFailureKind,
    message: string,
    details: { provider: string; status?: number; retryAfterMs?: number; cause?: unknown },
  ) {
    super(message, { cause: details.cause });
    this.kind = kind;
    this.provider = details.provider;
    this.status = details.status;
    this.retryAfterMs = details.retryAfterMs;
  }

  get retryable(): boolean {
    return RETRYABLE.has(this.kind);
  }

  /** Whether another provider might serve the same request. */
  get fallbackAllowed(): boolean {
    return FALLBACK_ALLOWED.has(this.kind);
  }
}

/** Every model tried for a call failed; `failures` says how, model by model. */
export class ModelUnavailableError extends PlatformError {
  readonly failures: ModelAttemptFailure[];

  constructor(failures: ModelAttemptFailure[]) {
    const last = failures.at(-1);
    super(
      last
        ? `no model answered (last: ${last.model}, ${last.kind}${last.status ? ` ${last.status}` : ''})`
        : 'no model answered',
    );
    this.failures = failures;
  }
}

export interface ModelAttemptFailure {
  model: string;
  provider: string;
  attempt: number;
  kind: ProviderFailureKind;
  status?: number;
  message: string;
}

/**
 * Classifies an HTTP status the way both providers document them: 429 rate limit, 529 (Anthropic)
 * overloaded, 408/409 and 5xx transient, 401/403/404 a provider we cannot use, other 4xx our fault.
 */
export function failureKindOfStatus(status: number): ProviderFailureKind {
  if (status === 429) return 'rate_limited';
  if (status === 529) return 'overloaded';
  if (status === 408) return 'timeout';
  if (status === 409 || status >= 500) return 'server';
  if (status === 401 || status === 403 || status === 404) return 'unavailable';
  return 'bad_request';
}

/**
 * The wait a provider asked for: `retry-after-ms` (both SDKs' servers send it), else
 * `retry-after` in seconds or as an HTTP date. Undefined when absent or unreadable.
 */
export function retryAfterMsFrom(headers: Headers | undefined, nowMs = Date.now()): number | undefined {
  if (!headers) return undefined;
  const millis = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(millis) && millis >= 0) return Math.ceil(millis);
  const value = headers.get('retry-after');
  if (!value) return undefined;
  const seconds = Number.parseFloat(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}
