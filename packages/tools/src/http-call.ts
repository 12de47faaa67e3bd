import { type ToolResult, toolError, toolSuccess } from '@agentops/core';
import type { BuiltinTool } from './builtin-tools.ts';

export interface HttpCallOptions {
  baseUrl: string;
  timeoutMs: number;
  /** Sent as `Idempotency-Key`, so a redelivered side effect runs once at the backend. */
  idempotencyKey?: string;
  /** Aborted when the worker shuts down. */
  signal?: AbortSignal;
}

export interface HttpCallOutcome {
  result: ToolResult;
  httpStatus?: number;
}

const MAX_MESSAGE_LENGTH = 200;

/**
 * Runs a tool's HTTP request under a hard timeout and maps whatever happens (an answer, a status,
 * a hang, a refused connection, a body that is not JSON, a bug in the tool) to a `ToolResult`
 * (invariant 1). No exception text or stack trace ever reaches the model.
 */
export async function callHttpTool(
  tool: BuiltinTool,
  args: Record<string, unknown>,
  options: HttpCallOptions,
): Promise<HttpCallOutcome> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  let response: Response;
  let bodyText: string;
  try {
    const request = tool.toRequest(args);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
    response = await fetch(new URL(request.path, options.baseUrl), {
      method: request.method,
      headers,
      signal,
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
    });
    bodyText = await response.text();
  } catch (error) {
    if (timeout.aborted) {
      return {
        result: toolError(
          'transient',
          `${tool.name} timed out after ${options.timeoutMs / 1000}s; the service may be degraded`,
        ),
      };
    }
    if (options.signal?.aborted)
      return { result: toolError('transient', `${tool.name} was interrupted; it can be retried`) };
    if (isNetworkError(error))
      return { result: toolError('transient', `${tool.name} could not reach its service`) };
    return { result: toolError('permanent', `${tool.name} failed unexpectedly`, { retrySafe: false }) };
  }

  const httpStatus = response.status;
  const body = parseJson(bodyText);
  if (httpStatus >= 200 && httpStatus < 300) {
    if (body === undefined) {
      return {
        httpStatus,
        result: toolError('permanent', `${tool.name} answered with a body that is not JSON`),
      };
    }
    return { httpStatus, result: toolSuccess(tool.toData(body)) };
  }
  const detail = describeFailure(body);
  if (httpStatus === 429) {
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
    return {
      httpStatus,
      result: toolError('rate_limit', `${tool.name} is rate limited${detail}`, {
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      }),
    };
  }
  if (httpStatus >= 500) {
    return {
      httpStatus,
      result: toolError('transient', `${tool.name} failed with a server error (${httpStatus})${detail}`),
    };
  }
  return { httpStatus, result: toolError('permanent', `${tool.name} was refused (${httpStatus})${detail}`) };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The backend's own error message, shortened: useful to the model, never a trace. */
function describeFailure(body: unknown): string {
  if (typeof body !== 'object' || body === null) return '';
  const message = (body as Record<string, unknown>).error;
  if (typeof message !== 'string' || message.length === 0) return '';
  return `: ${message.replace(/\s+/g, ' ').slice(0, MAX_MESSAGE_LENGTH)}`;
}

/** Retry-After is either seconds or an HTTP date (RFC 9110). */
export function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  // Otherwise only an HTTP-date (RFC 9110: "Wed, 21 Oct 2015 07:28:00 GMT"); junk is ignored.
  if (!/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function isNetworkError(error: unknown): boolean {
  return error instanceof TypeError || (error instanceof Error && 'code' in error);
}
