import { describe, expect, it } from 'vitest';
import { ToolResult, toolError, toolSuccess } from './tool-result.ts';

describe('ToolResult', () => {
  it('wraps a successful answer with its data, not retry-safe and a default "ok" message', () => {
    const result = toolSuccess({ order_id: 'A1001', status: 'shipped' });
    expect(result).toEqual({
      status: 'success',
      data: { order_id: 'A1001', status: 'shipped' },
      retry_safe: false,
      message: 'ok',
    });
    expect(ToolResult.parse(result)).toEqual(result);
  });

  it('keeps a custom success message', () => {
    expect(toolSuccess([], 'no hits').message).toBe('no hits');
  });

  it('marks transient and rate-limit errors as retry-safe by default', () => {
    expect(toolError('transient', 'timed out').retry_safe).toBe(true);
    expect(toolError('rate_limit', 'slow down').retry_safe).toBe(true);
  });

  it('marks permanent and circuit-open errors as not retry-safe by default', () => {
    expect(toolError('permanent', 'order not found').retry_safe).toBe(false);
    expect(toolError('circuit_open', 'paused').retry_safe).toBe(false);
  });

  it('lets the caller override the retry decision', () => {
    expect(toolError('transient', 'interrupted', { retrySafe: false }).retry_safe).toBe(false);
    expect(toolError('permanent', 'odd', { retrySafe: true }).retry_safe).toBe(true);
  });

  it('carries retry_after_ms only when a delay is given', () => {
    const withDelay = toolError('rate_limit', 'too many requests', { retryAfterMs: 1500 });
    expect(withDelay).toEqual({
      status: 'error',
      error_type: 'rate_limit',
      retry_safe: true,
      message: 'too many requests',
      retry_after_ms: 1500,
    });
    expect('retry_after_ms' in toolError('rate_limit', 'too many requests')).toBe(false);
    expect(ToolResult.parse(withDelay)).toEqual(withDelay);
  });

  it('has no data on an error', () => {
    expect('data' in toolError('permanent', 'refused')).toBe(false);
  });

  it('rejects a result without retry_safe or message, and unknown error types', () => {
    expect(ToolResult.safeParse({ status: 'error', error_type: 'transient', message: 'x' }).success).toBe(
      false,
    );
    expect(ToolResult.safeParse({ status: 'success', retry_safe: false }).success).toBe(false);
    expect(
      ToolResult.safeParse({ status: 'error', error_type: 'exploded', retry_safe: false, message: 'x' })
        .success,
    ).toBe(false);
    expect(ToolResult.safeParse({ status: 'maybe', retry_safe: false, message: 'x' }).success).toBe(false);
  });

  it('rejects a negative or fractional retry_after_ms', () => {
    const base = { status: 'error', error_type: 'rate_limit', retry_safe: true, message: 'x' };
    expect(ToolResult.safeParse({ ...base, retry_after_ms: -1 }).success).toBe(false);
    expect(ToolResult.safeParse({ ...base, retry_after_ms: 1.5 }).success).toBe(false);
  });
});
