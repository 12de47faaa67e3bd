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
        readLuaScript(COMMANDS_DIR, name, ['lib-clock']),
      );
    this.countCallScript = define('count-tool-call');
    this.admitScript = define('breaker-admit');
    this.recordScript = define('breaker-record');
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
    const probeLeaseMs = contract.timeout_seconds * 1000 + 5_000;
    const reply = (await this.admitScript([this.keys.toolBreaker(contract.name)], [probeLeaseMs])) as [
      string,
      number?,
    ];
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
    if (raw === null) return undefined;
    const parsed = ToolResult.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
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
