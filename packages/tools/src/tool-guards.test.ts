import { setTimeout as sleep } from 'node:timers/promises';
import { redisKeys, ToolContract, toolError, toolSuccess } from '@agentops/core';
import { connectTestRedis, countKeys, deleteKeys, testPrefix } from '@agentops/testing';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BreakerAdmission, ToolGuards } from './tool-guards.ts';

const prefix = testPrefix('tools');
const keys = redisKeys(prefix);
let redis: Redis;
let guards: ToolGuards;

beforeAll(() => {
  redis = connectTestRedis();
  guards = new ToolGuards(redis, prefix, { sessionTtlSeconds: 600, cacheTtlSeconds: 600 });
});

afterAll(async () => {
  await deleteKeys(redis, prefix);
  expect(await countKeys(redis, prefix)).toBe(0);
  await redis.quit();
});

let tools = 0;
/** A contract of a fresh tool name, so each test has a breaker and counters of its own. */
function contract(overrides: Partial<Record<string, unknown>> = {}): ToolContract {
  tools++;
  return ToolContract.parse({
    name: `guarded_tool_${tools}`,
    owner: 'tests',
    description: 'A tool the guard tests call.',
    input_schema: { type: 'object' },
    timeout_seconds: 1,
    retry_policy: 'none',
    idempotent: true,
    side_effects: 'read',
    auth_scope: 'orders:read',
    max_calls_per_session: 2,
    rate_limit: { max: 10, duration_ms: 1000 },
    concurrency: 1,
    circuit_breaker: { failure_threshold: 3, window_seconds: 60, cooldown_seconds: 1 },
    escalate_after_failures: 2,
    logs: ['tool.name'],
    ...overrides,
  });
}

/** Polls the breaker until it stops refusing (the cooldown is counted on Redis's clock). */
async function admitAfterCooldown(tool: ToolContract): Promise<BreakerAdmission> {
  for (let i = 0; i < 100; i++) {
    const admission = await guards.admit(tool);
    if (admission.kind !== 'open') return admission;
    await sleep(100);
  }
  throw new Error('the breaker never left the open state');
}

async function openBreaker(tool: ToolContract) {
  for (let i = 0; i < tool.circuit_breaker.failure_threshold; i++) {
    await guards.recordOutcome(tool, true, 'timed out');
  }
}

describe('per-session call cap', () => {
  it('allows max_calls_per_session calls of a tool, then refuses the next', async () => {
    const tool = contract({ max_calls_per_session: 2 });
    expect(await guards.countCall('ses_a', tool, 'call_1')).toBe(true);
    expect(await guards.countCall('ses_a', tool, 'call_2')).toBe(true);
    expect(await guards.countCall('ses_a', tool, 'call_3')).toBe(false);
  });

  it('counts a call once however many attempts it takes', async () => {
    const tool = contract({ max_calls_per_session: 1 });
    expect(await guards.countCall('ses_b', tool, 'call_1')).toBe(true);
    expect(await guards.countCall('ses_b', tool, 'call_1')).toBe(true);
    expect(await guards.countCall('ses_b', tool, 'call_2')).toBe(false);
  });

  it('keeps separate caps per session and per tool', async () => {
    const tool = contract({ max_calls_per_session: 1 });
    const other = contract({ max_calls_per_session: 1 });
    expect(await guards.countCall('ses_c', tool, 'call_1')).toBe(true);
    expect(await guards.countCall('ses_d', tool, 'call_1')).toBe(true);
    expect(await guards.countCall('ses_c', other, 'call_2')).toBe(true);
    expect(await guards.countCall('ses_c', tool, 'call_3')).toBe(false);
  });

  it('lets the session’s counter expire with the session', async () => {
    const tool = contract();
    await guards.countCall('ses_e', tool, 'call_1');
    const ttl = await redis.pttl(keys.sessionToolCalls('ses_e', tool.name));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(600_000);
  });
});

describe('circuit breaker', () => {
  it('stays closed below the failure threshold', async () => {
    const tool = contract();
    expect(await guards.recordOutcome(tool, true, 'timed out')).toBe('none');
    expect(await guards.recordOutcome(tool, true, 'timed out')).toBe('none');
    expect(await guards.admit(tool)).toEqual({ kind: 'closed' });
    expect((await guards.breaker(tool.name)).state).toBe('closed');
  });

  it('opens after 3 transient failures in the window and refuses calls until the cooldown ends', async () => {
    const tool = contract({
      circuit_breaker: { failure_threshold: 3, window_seconds: 60, cooldown_seconds: 30 },
    });
    await guards.recordOutcome(tool, true, 'first');
    await guards.recordOutcome(tool, true, 'second');
    expect(await guards.recordOutcome(tool, true, 'get_order_status timed out')).toBe('opened');

    const admission = await guards.admit(tool);
    expect(admission.kind).toBe('open');
    const view = await guards.breaker(tool.name);
    expect(view).toMatchObject({ tool: tool.name, state: 'open', reason: 'get_order_status timed out' });
    expect(view.untilMs).toBe(view.openedAtMs !== undefined ? view.openedAtMs + 30_000 : Number.NaN);
    expect(admission.kind === 'open' && admission.retryAtMs).toBe(view.untilMs);
  });

  it('ignores outcomes reported while it is open', async () => {
    const tool = contract({
      circuit_breaker: { failure_threshold: 1, window_seconds: 60, cooldown_seconds: 30 },
    });
    expect(await guards.recordOutcome(tool, true, 'down')).toBe('opened');
    expect(await guards.recordOutcome(tool, true, 'still down')).toBe('none');
    expect(await guards.recordOutcome(tool, false, 'late success')).toBe('none');
    expect((await guards.breaker(tool.name)).state).toBe('open');
  });

  it('does not count successes as failures', async () => {
    const tool = contract({
      circuit_breaker: { failure_threshold: 2, window_seconds: 60, cooldown_seconds: 30 },
    });
    expect(await guards.recordOutcome(tool, true, 'timed out')).toBe('none');
    for (let i = 0; i < 5; i++) expect(await guards.recordOutcome(tool, false, 'ok')).toBe('none');
    expect(await guards.admit(tool)).toEqual({ kind: 'closed' });
  });

  it('keeps one breaker per tool', async () => {
    const failing = contract({
      circuit_breaker: { failure_threshold: 1, window_seconds: 60, cooldown_seconds: 30 },
    });
    const healthy = contract();
    await guards.recordOutcome(failing, true, 'down');
    expect((await guards.admit(failing)).kind).toBe('open');
    expect(await guards.admit(healthy)).toEqual({ kind: 'closed' });
  });

  it('closes and forgets on an ops reset', async () => {
    const tool = contract({
      circuit_breaker: { failure_threshold: 1, window_seconds: 60, cooldown_seconds: 30 },
    });
    await guards.recordOutcome(tool, true, 'down');
    await guards.resetBreaker(tool.name);
    expect(await guards.breaker(tool.name)).toEqual({ tool: tool.name, state: 'closed' });
    expect(await guards.admit(tool)).toEqual({ kind: 'closed' });
  });
});

// Each of these waits about a second of Redis time, so they wait together.
describe.concurrent('circuit breaker over time', () => {
  it('forgets failures older than the window', async ({ expect }) => {
    const tool = contract({
      circuit_breaker: { failure_threshold: 2, window_seconds: 1, cooldown_seconds: 30 },
    });
    expect(await guards.recordOutcome(tool, true, 'old failure')).toBe('none');
    await sleep(1_100);
    expect(await guards.recordOutcome(tool, true, 'new failure')).toBe('none');
    expect((await guards.breaker(tool.name)).state).toBe('closed');
  });

  it('turns half-open after the cooldown and admits exactly one probe', async ({ expect }) => {
    const tool = contract();
    await openBreaker(tool);
    expect(await admitAfterCooldown(tool)).toEqual({ kind: 'probe' });
    expect((await guards.breaker(tool.name)).state).toBe('half_open');
    // While the probe runs, every other call is still refused.
    expect((await guards.admit(tool)).kind).toBe('open');
  });

  it('closes when the probe succeeds', async ({ expect }) => {
    const tool = contract();
    await openBreaker(tool);
    await admitAfterCooldown(tool);
    expect(await guards.recordOutcome(tool, false, 'ok')).toBe('closed');
    expect(await guards.admit(tool)).toEqual({ kind: 'closed' });
    // The failures before it opened are forgotten: one new failure does not reopen it.
    expect(await guards.recordOutcome(tool, true, 'blip')).toBe('none');
    expect((await guards.breaker(tool.name)).state).toBe('closed');
  });

  it('reopens for another cooldown when the probe fails', async ({ expect }) => {
    const tool = contract();
    await openBreaker(tool);
    await admitAfterCooldown(tool);
    expect(await guards.recordOutcome(tool, true, 'probe timed out')).toBe('reopened');
    expect((await guards.admit(tool)).kind).toBe('open');
    expect(await guards.breaker(tool.name)).toMatchObject({ state: 'open', reason: 'probe timed out' });
  });
});

describe('attempts and cached results', () => {
  it('numbers a job’s attempts from 1', async () => {
    expect(await guards.nextAttempt('job_1', 60_000)).toBe(1);
    expect(await guards.nextAttempt('job_1', 60_000)).toBe(2);
    expect(await guards.nextAttempt('job_2', 60_000)).toBe(1);
  });

  it('replays a cached result for the same session, tool and arguments only', async () => {
    const result = toolSuccess({ order_id: 'A1001', status: 'shipped' });
    await guards.cacheResult('ses_f', 'get_order_status', 'hash_1', result);
    expect(await guards.cachedResult('ses_f', 'get_order_status', 'hash_1')).toEqual(result);
    expect(await guards.cachedResult('ses_f', 'get_order_status', 'hash_2')).toBeUndefined();
    expect(await guards.cachedResult('ses_g', 'get_order_status', 'hash_1')).toBeUndefined();
  });

  it('ignores a cached entry that is not a ToolResult', async () => {
    await redis.set(
      keys.sessionToolCache('ses_h', 'get_order_status', 'hash_1'),
      JSON.stringify({ hello: 1 }),
    );
    expect(await guards.cachedResult('ses_h', 'get_order_status', 'hash_1')).toBeUndefined();
    await guards.cacheResult('ses_h', 'x', 'h', toolError('permanent', 'no'));
    expect(await guards.cachedResult('ses_h', 'x', 'h')).toMatchObject({ status: 'error' });
  });
});

describe('all the guards of an attempt at once', () => {
  const call = (sessionId: string, callId: string, argsHash = 'hash_1') => ({
    callId,
    jobId: `job_${sessionId}_${callId}`,
    argsHash,
  });

  it('counts the call, then answers from the cache, then asks the breaker, then numbers the attempt', async () => {
    const tool = contract();
    expect(await guards.admitCall('ses_all_1', tool, call('ses_all_1', 'call_1'))).toEqual({
      kind: 'run',
      attempt: 1,
      probe: false,
    });
    expect(await guards.admitCall('ses_all_1', tool, call('ses_all_1', 'call_1'))).toEqual({
      kind: 'run',
      attempt: 2,
      probe: false,
    });

    const result = toolSuccess({ order_id: 'A1001' });
    await guards.recordCall(
      tool,
      { sessionId: 'ses_all_1', argsHash: 'hash_1' },
      {
        failed: false,
        reason: 'ok',
        resultToCache: result,
      },
    );
    expect(await guards.admitCall('ses_all_1', tool, call('ses_all_1', 'call_2'))).toEqual({
      kind: 'cached',
      result,
    });
    // The cap comes first: a third call is refused even though its answer is cached.
    expect(await guards.admitCall('ses_all_1', tool, call('ses_all_1', 'call_3'))).toEqual({
      kind: 'capped',
    });
  });

  it('refuses while the breaker is open, and the call still counts against the cap', async () => {
    const tool = contract();
    for (let i = 0; i < 3; i++) {
      await guards.recordCall(
        tool,
        { sessionId: 'ses_all_2', argsHash: 'h' },
        { failed: true, reason: 'down' },
      );
    }
    expect(await guards.admitCall('ses_all_2', tool, call('ses_all_2', 'call_1'))).toMatchObject({
      kind: 'open',
    });
    expect(await guards.admitCall('ses_all_2', tool, call('ses_all_2', 'call_2'))).toMatchObject({
      kind: 'open',
    });
    expect(await guards.admitCall('ses_all_2', tool, call('ses_all_2', 'call_3'))).toEqual({
      kind: 'capped',
    });
  });

  it('caches nothing for a failure or a tool that is not idempotent', async () => {
    const tool = contract({ idempotent: false });
    await guards.recordCall(
      tool,
      { sessionId: 'ses_all_3', argsHash: 'h' },
      { failed: true, reason: 'down' },
    );
    expect(await guards.cachedResult('ses_all_3', tool.name, 'h')).toBeUndefined();
    expect(await guards.admitCall('ses_all_3', tool, call('ses_all_3', 'call_1', 'h'))).toEqual({
      kind: 'run',
      attempt: 1,
      probe: false,
    });
  });
});
