import { randomUUID } from 'node:crypto';
import {
  defineLuaCommand,
  type LuaCommand,
  type RedisConnection,
  type RedisKeys,
  readLuaScript,
  redisKeys,
  type ToolContract,
  ToolResult,
} from '@agentops/core';
import { traceBreakerTransition } from '@agentops/telemetry';

const COMMANDS_DIR = new URL('./commands/', import.meta.url);

export type BreakerAdmission = { kind: 'closed' } | { kind: 'probe' } | { kind: 'open'; retryAtMs: number };

/** What the guards say about one attempt of a call, asked all at once (see admitCall). */
export type CallAdmission =
  | { kind: 'capped' }
  | { kind: 'cached'; result: ToolResult }
  | { kind: 'open'; retryAtMs: number }
  /** `probe`: the breaker is half-open and this attempt is its one probe. */
  | { kind: 'run'; attempt: number; probe: boolean };
export type BreakerTransition = 'opened' | 'reopened' | 'closed' | 'none';
export type BreakerState = 'closed' | 'open' | 'half_open';

export interface ToolBreakerView {
  tool: string;
  state: BreakerState;
  reason?: string;
  openedAtMs?: number;
  untilMs?: number;
}

/**
 * The per-tool limits that must hold across every worker replica, kept in Redis: calls per
 * session, the circuit breaker, attempt counts and the cache of idempotent results.
 */
export class ToolGuards {
  private readonly redis: RedisConnection;
  private readonly keys: RedisKeys;
  private readonly sessionTtlMs: number;
  private readonly cacheTtlMs: number;
  private readonly countCallScript: LuaCommand;
  private readonly admitScript: LuaCommand;
  private readonly recordScript: LuaCommand;
  private readonly admitCallScript: LuaCommand;
  private readonly recordCallScript: LuaCommand;

  constructor(
    redis: RedisConnection,
    prefix: string,
    options: { sessionTtlSeconds: number; cacheTtlSeconds: number },
  ) {
    this.redis = redis;
    this.keys = redisKeys(prefix);
    this.sessionTtlMs = options.sessionTtlSeconds * 1000;
    this.cacheTtlMs = options.cacheTtlSeconds * 1000;
    const define = (name: string) =>
      defineLuaCommand(
        redis,
        `agentops_${name.replaceAll('-', '_')}`,
        readLuaScript(COMMANDS_DIR, name, ['lib-clock', 'lib-tool-guards']),
      );
    this.countCallScript = define('count-tool-call');
    this.admitScript = define('breaker-admit');
    this.recordScript = define('breaker-record');
    this.admitCallScript = define('admit-tool-call');
    this.recordCallScript = define('record-tool-call');
  }

  /**
   * Every guard before an attempt, in one round trip and in the order the rules apply: the
   * session's call cap (the call counts once, however many attempts), the session's cache of
   * idempotent results, the breaker, and the attempt's number.
   */
  async admitCall(
    sessionId: string,
    contract: ToolContract,
    call: { callId: string; jobId: string; argsHash: string },
  ): Promise<CallAdmission> {
    const reply = (await this.admitCallScript(
      [
        this.keys.sessionToolCalls(sessionId, contract.name),
        this.keys.sessionToolCache(sessionId, contract.name, call.argsHash),
        this.keys.toolBreaker(contract.name),
        this.keys.toolAttempts(call.jobId),
      ],
      [
        call.callId,
        contract.max_calls_per_session,
        this.sessionTtlMs,
        contract.idempotent ? '1' : '0',
        probeLeaseMs(contract),
        ATTEMPT_COUNTER_TTL_MS,
      ],
    )) as [string, (string | number)?, string?];
    switch (reply[0]) {
      case 'capped':
        return { kind: 'capped' };
      case 'open':
        return { kind: 'open', retryAtMs: Number(reply[1]) };
      case 'run':
        return { kind: 'run', attempt: Number(reply[1]), probe: reply[2] === 'probe' };
    }
    const cached = parseCachedResult(String(reply[1]));
    if (cached) return { kind: 'cached', result: cached };
    // A cache entry that no longer parses is ignored: the call goes on as if there were none.
    const admission = await this.admit(contract);
    if (admission.kind === 'open') return admission;
    const attempt = await this.nextAttempt(call.jobId, ATTEMPT_COUNTER_TTL_MS);
    return { kind: 'run', attempt, probe: admission.kind === 'probe' };
  }

  /**
   * After an attempt, in one round trip: its outcome for the breaker and, when given, the result
   * for the session's cache of idempotent results.
   */
  async recordCall(
    contract: ToolContract,
    call: { sessionId: string; argsHash: string },
    outcome: { failed: boolean; reason: string; resultToCache?: ToolResult },
  ): Promise<BreakerTransition> {
    const { failure_threshold, window_seconds, cooldown_seconds } = contract.circuit_breaker;
    const transition = await this.recordCallScript(
      [
        this.keys.toolBreaker(contract.name),
        this.keys.toolBreakerFailures(contract.name),
        this.keys.sessionToolCache(call.sessionId, contract.name, call.argsHash),
      ],
      [
        outcome.failed ? 'failure' : 'success',
        failure_threshold,
        window_seconds * 1000,
        cooldown_seconds * 1000,
        randomUUID(),
        outcome.reason,
        outcome.resultToCache ? JSON.stringify(outcome.resultToCache) : '',
        this.cacheTtlMs,
      ],
    );
    return transition as BreakerTransition;
  }

  /** Counts a call once by its id; false when the session has used all its calls of this tool. */
  async countCall(sessionId: string, contract: ToolContract, callId: string): Promise<boolean> {
    const used = await this.countCallScript(
      [this.keys.sessionToolCalls(sessionId, contract.name)],
      [callId, contract.max_calls_per_session, this.sessionTtlMs],
    );
    return Number(used) >= 0;
  }

  async admit(contract: ToolContract): Promise<BreakerAdmission> {
    const reply = (await this.admitScript(
      [this.keys.toolBreaker(contract.name)],
      [probeLeaseMs(contract)],
    )) as [string, number?];
    if (reply[0] === 'open') return { kind: 'open', retryAtMs: Number(reply[1]) };
    return { kind: reply[0] === 'probe' ? 'probe' : 'closed' };
  }

  async recordOutcome(contract: ToolContract, failed: boolean, reason: string): Promise<BreakerTransition> {
    const {
      failure_threshold: threshold,
      window_seconds: window,
      cooldown_seconds: cooldown,
    } = contract.circuit_breaker;
    const transition = await this.recordScript(
      [this.keys.toolBreaker(contract.name), this.keys.toolBreakerFailures(contract.name)],
      [failed ? 'failure' : 'success', threshold, window * 1000, cooldown * 1000, randomUUID(), reason],
    );
    return transition as BreakerTransition;
  }

  async breaker(tool: string): Promise<ToolBreakerView> {
    const fields = await this.redis.hgetall(this.keys.toolBreaker(tool));
    const state = (fields.state as BreakerState | undefined) ?? 'closed';
    const number = (value: string | undefined) => (value === undefined ? undefined : Number(value));
    return {
      tool,
      state,
      ...(fields.reason ? { reason: fields.reason } : {}),
      ...(fields.openedAtMs ? { openedAtMs: number(fields.openedAtMs) } : {}),
      ...(fields.untilMs && state !== 'closed' ? { untilMs: number(fields.untilMs) } : {}),
    };
  }

  /** Ops reset: the breaker closes and forgets its failures. */
  async resetBreaker(tool: string): Promise<void> {
    await this.redis.del(this.keys.toolBreaker(tool), this.keys.toolBreakerFailures(tool));
    traceBreakerTransition({ scope: 'tool', key: tool, transition: 'reset' });
  }

  /** The attempt number of a job, counted by us because rate-limit requeues do not count in BullMQ. */
  async nextAttempt(jobId: string, ttlMs: number): Promise<number> {
    const key = this.keys.toolAttempts(jobId);
    const [[, attempt] = []] = (await this.redis.multi().incr(key).pexpire(key, ttlMs).exec()) ?? [];
    return Number(attempt);
  }

  async cachedResult(sessionId: string, tool: string, argsHash: string): Promise<ToolResult | undefined> {
    const raw = await this.redis.get(this.keys.sessionToolCache(sessionId, tool, argsHash));
    return raw === null ? undefined : parseCachedResult(raw);
  }

  async cacheResult(sessionId: string, tool: string, argsHash: string, result: ToolResult): Promise<void> {
    await this.redis.set(
      this.keys.sessionToolCache(sessionId, tool, argsHash),
      JSON.stringify(result),
      'PX',
      this.cacheTtlMs,
    );
  }
}

/** A half-open breaker's probe holds its lease for the call's timeout and a margin. */
const probeLeaseMs = (contract: ToolContract) => contract.timeout_seconds * 1000 + 5_000;

/** Attempt counters outlive any retry schedule of a tool job. */
const ATTEMPT_COUNTER_TTL_MS = 24 * 3600 * 1000;

function parseCachedResult(raw: string): ToolResult | undefined {
  try {
    const parsed = ToolResult.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
