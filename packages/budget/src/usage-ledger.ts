import {
  defineLuaCommand,
  type LuaCommand,
  type RedisKeys,
  readLuaScript,
  redisKeys,
  type UsageEvent,
} from '@agentops/core';
import type { Redis } from 'ioredis';

const COMMANDS_DIR = new URL('./commands/', import.meta.url);

export interface SessionUsage {
  inputTokens: number;
  outputTokens: number;
  costMicros: number;
  calls: number;
}

/** Per-session usage totals, fed by the budget service from the `usage` queue. */
export class UsageLedger {
  private readonly redis: Redis;
  private readonly keys: RedisKeys;
  private readonly ttlMs: number;
  private readonly recordScript: LuaCommand;

  constructor(redis: Redis, prefix: string, ttlSeconds: number) {
    this.redis = redis;
    this.keys = redisKeys(prefix);
    this.ttlMs = ttlSeconds * 1000;
    this.recordScript = defineLuaCommand(
      redis,
      'agentops_record_usage',
      readLuaScript(COMMANDS_DIR, 'record-usage'),
    );
  }

  /** Returns false when this event was counted before. */
  async record(event: UsageEvent): Promise<boolean> {
    const counted = await this.recordScript(
      [this.keys.sessionUsage(event.sessionId), this.keys.sessionUsageEvents(event.sessionId)],
      [event.eventId, event.inputTokens, event.outputTokens, event.costMicros, this.ttlMs],
    );
    return counted === 1;
  }

  /** The session's totals so far; zeros before its first model call is counted. */
  async sessionUsage(sessionId: string): Promise<SessionUsage> {
    const fields = await this.redis.hgetall(this.keys.sessionUsage(sessionId));
    return {
      inputTokens: Number(fields.inputTokens ?? 0),
      outputTokens: Number(fields.outputTokens ?? 0),
      costMicros: Number(fields.costMicros ?? 0),
      calls: Number(fields.calls ?? 0),
    };
  }
}
