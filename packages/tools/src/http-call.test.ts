import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuiltinTool, findBuiltinTool } from './builtin-tools.ts';
import { callHttpTool, parseRetryAfter } from './http-call.ts';
import { orderCollection } from './ordering.ts';
import { type RunningDemoBackend, startDemoBackend } from './testing/demo-backend.ts';

function tool(name: string): BuiltinTool {
  const found = findBuiltinTool(name);
  if (!found) throw new Error(`no tool ${name}`);
  return found;
}

const getOrderStatus = tool('get_order_status');

let backend: RunningDemoBackend;
beforeAll(async () => {
  backend = await startDemoBackend({ rateLimitedRequests: 1, retryAfterSeconds: 7 });
});
afterAll(async () => {
  await backend.close();
});

const lookUp = (orderId: string, timeoutMs = 2_000) =>
  callHttpTool(getOrderStatus, { order_id: orderId }, { baseUrl: backend.url, timeoutMs });

describe('callHttpTool against the demo backend', () => {
  it('returns an A-order with its status', async () => {
    const { result, httpStatus } = await lookUp('A1001');
    expect(httpStatus).toBe(200);
    expect(result.status).toBe('success');
    expect(result.retry_safe).toBe(false);
    expect(result.data).toMatchObject({ order_id: 'A1001', status: 'shipped', carrier: expect.any(String) });
  });

  it('ends a T-order that never answers as a retry-safe transient error after its timeout', async () => {
    const { result, httpStatus } = await lookUp('T1001', 150);
    expect(httpStatus).toBeUndefined();
    expect(result).toEqual({
      status: 'error',
      error_type: 'transient',
      retry_safe: true,
      message: 'get_order_status timed out after 0.15s; the service may be degraded',
    });
  });

  it('maps a 500 of an E-order to a retry-safe transient error with the backend’s reason', async () => {
    const { result, httpStatus } = await lookUp('E1001');
    expect(httpStatus).toBe(500);
    expect(result).toEqual({
      status: 'error',
      error_type: 'transient',
      retry_safe: true,
      message: 'get_order_status failed with a server error (500): the order database is unavailable',
    });
  });

  it('maps a 429 of an R-order to a rate-limit error carrying Retry-After, then succeeds', async () => {
    const first = await lookUp('R1001');
    expect(first.httpStatus).toBe(429);
    expect(first.result).toEqual({
      status: 'error',
      error_type: 'rate_limit',
      retry_safe: true,
      message: 'get_order_status is rate limited: too many requests',
      retry_after_ms: 7_000,
    });
    const second = await lookUp('R1001');
    expect(second.result.status).toBe('success');
  });

  it('maps a 404 of an N-order to a permanent error the model must not retry', async () => {
    const { result, httpStatus } = await lookUp('N1001');
    expect(httpStatus).toBe(404);
    expect(result).toEqual({
      status: 'error',
      error_type: 'permanent',
      retry_safe: false,
      message: 'get_order_status was refused (404): order N1001 was not found',
    });
  });

  it('returns an I-order normally, with the injected instruction in its note', async () => {
    const { result } = await lookUp('I1001');
    expect(result.status).toBe('success');
    expect(result.data).toMatchObject({ order_id: 'I1001' });
    expect((result.data as { note?: string }).note).toMatch(/ignore previous instructions/i);
  });

  it('reports an interrupted call (worker shutdown) as retry-safe, not as a timeout', async () => {
    const controller = new AbortController();
    const pending = callHttpTool(
      getOrderStatus,
      { order_id: 'T1002' },
      { baseUrl: backend.url, timeoutMs: 30_000, signal: controller.signal },
    );
    controller.abort();
    expect((await pending).result).toEqual({
      status: 'error',
      error_type: 'transient',
      retry_safe: true,
      message: 'get_order_status was interrupted; it can be retried',
    });
  });

  it('reports an unreachable service as a transient error without the exception text', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { result } = await callHttpTool(
      getOrderStatus,
      { order_id: 'A1001' },
      { baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 2_000 },
    );
    expect(result).toEqual({
      status: 'error',
      error_type: 'transient',
      retry_safe: true,
      message: 'get_order_status could not reach its service',
    });
  });

  it('turns a crash in the tool’s own code into a permanent error, never a stack trace', async () => {
    const broken: BuiltinTool = {
      name: 'broken_tool',
      toRequest: () => {
        throw new RangeError('secret internal detail at line 42');
      },
      toData: (body) => body,
    };
    const { result } = await callHttpTool(broken, {}, { baseUrl: backend.url, timeoutMs: 1_000 });
    expect(result).toEqual({
      status: 'error',
      error_type: 'permanent',
      retry_safe: false,
      message: 'broken_tool failed unexpectedly',
    });
    expect(JSON.stringify(result)).not.toContain('secret');
  });

  it('returns docs hits in the same order every time once sorted by the contract’s order_by', async () => {
    const searchDocs = tool('search_docs');
    const orders = new Set<string>();
    const raw = new Set<string>();
    for (let i = 0; i < 8; i++) {
      const { result } = await callHttpTool(
        searchDocs,
        { query: 'return shipping refund' },
        { baseUrl: backend.url, timeoutMs: 2_000 },
      );
      expect(result.status).toBe('success');
      const hits = (result.data as { hits: { doc_id: string }[] }).hits;
      raw.add(hits.map((hit) => hit.doc_id).join());
      const sorted = orderCollection(result.data, '-score,doc_id') as { hits: { doc_id: string }[] };
      orders.add(sorted.hits.map((hit) => hit.doc_id).join());
    }
    expect(orders.size).toBe(1);
    expect([...orders][0]?.split(',').length).toBeGreaterThan(2);
    // The backend really does shuffle (8 answers of 3+ hits all in one order: ~1 in 6^7).
    expect(raw.size).toBeGreaterThan(1);
  });

  it('sends the idempotency key, so a repeated refund runs once at the backend', async () => {
    const refund = tool('issue_refund');
    const args = { order_id: 'A1002', amount_usd: 10, reason: 'damaged' };
    const options = { baseUrl: backend.url, timeoutMs: 2_000, idempotencyKey: 'conf_http_call_test' };
    const first = await callHttpTool(refund, args, options);
    const second = await callHttpTool(refund, args, options);
    expect(first.httpStatus).toBe(201);
    expect(first.result.status).toBe('success');
    expect(second.result.data).toEqual(first.result.data);
    const stats = await backend.stats();
    expect(stats.sideEffects.conf_http_call_test).toMatchObject({ kind: 'refund', requests: 2 });
  });

  it('refuses a side effect sent without an idempotency key', async () => {
    const { result, httpStatus } = await callHttpTool(
      tool('send_email'),
      { to: 'bob@example.com', subject: 's', body: 'b' },
      { baseUrl: backend.url, timeoutMs: 2_000 },
    );
    expect(httpStatus).toBe(400);
    expect(result).toMatchObject({ status: 'error', error_type: 'permanent', retry_safe: false });
    expect(result.message).toContain('Idempotency-Key is required');
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds, including fractions', () => {
    expect(parseRetryAfter('3')).toBe(3_000);
    expect(parseRetryAfter('0.5')).toBe(500);
    expect(parseRetryAfter('0')).toBe(0);
  });

  it('reads an HTTP date as the time left until it', () => {
    const inOneMinute = new Date(Date.now() + 60_000).toUTCString();
    const ms = parseRetryAfter(inOneMinute);
    expect(ms).toBeGreaterThan(50_000);
    expect(ms).toBeLessThanOrEqual(60_000);
  });

  it('never returns a negative delay for a date in the past', () => {
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT')).toBe(0);
  });

  it('ignores a missing or unreadable header', () => {
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('')).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});
