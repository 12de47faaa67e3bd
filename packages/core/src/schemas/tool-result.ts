import { z } from 'zod';

/**
 * The only shape a tool call can end in (invariant 1). The model reads `retry_safe` to tell a
 * transient outage from a final answer; that distinction is what stops the retry-loop incident.
 */
export const ToolErrorType = z.enum(['transient', 'permanent', 'rate_limit', 'circuit_open']);
export type ToolErrorType = z.infer<typeof ToolErrorType>;

export const ToolResult = z.object({
  status: z.enum(['success', 'error']),
  data: z.unknown().optional(),
  error_type: ToolErrorType.optional(),
  retry_safe: z.boolean(),
  message: z.string(),
  retry_after_ms: z.number().int().nonnegative().optional(),
});
export type ToolResult = z.infer<typeof ToolResult>;

export function toolSuccess(data: unknown, message = 'ok'): ToolResult {
  return { status: 'success', data, retry_safe: false, message };
}

export function toolError(
  errorType: ToolErrorType,
  message: string,
  extra: { retrySafe?: boolean; retryAfterMs?: number } = {},
): ToolResult {
  const retrySafe = extra.retrySafe ?? (errorType === 'transient' || errorType === 'rate_limit');
  return {
    status: 'error',
    error_type: errorType,
    retry_safe: retrySafe,
    message,
    ...(extra.retryAfterMs === undefined ? {} : { retry_after_ms: extra.retryAfterMs }),
  };
}
