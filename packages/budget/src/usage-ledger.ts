import {
  defineLuaCommand,
  type LuaCommand,
  type RedisConnection,
  type RedisKeys,
  readLuaScript,
  redisKeys,
  type UsageEvent,
} from '@agentops/core';
import { budgetWindows } from './budget-windows.ts';

const COMMANDS_DIR = new URL('./commands/', import.meta.url);
const WINDOW_MARGIN_MS = 60 * 60_000;

export type RecordedUsage =
  | { counted: false }
  | { counted: true; sessionCostMicros: number; userDayCostMicros: number; globalHourCostMicros: number };

export interface SessionUsage {
  inputTokens: number;
  outputTokens: number;
  costMicros: number;
  calls: number;
}

/** Per-session usage totals, fed by the budget service from the `usage` queue. */
export class UsageLedger {
  private readonly redis: RedisConnection;
  private readonly keys: RedisKeys;
  private readonly ttlMs: number;
  private readonly recordScript: LuaCommand;

  constructor(redis: RedisConnection, prefix: string, ttlSeconds: number) {
    this.redis = redis;
    this.keys = redisKeys(prefix);
    this.ttlMs = ttlSeconds * 1000;
    this.recordScript = defineLuaCommand(
      redis,
      'agentops_record_usage',
      readLuaScript(COMMANDS_DIR, 'record-usage'),
    );
  }

  /** Counts the event once; `counted: false` when it had been counted before. */
  async record(event: UsageEvent): Promise<RecordedUsage> {
    const windows = budgetWindows(Date.parse(event.at) || Date.now());
    const reply = (await this.recordScript(
      [
        this.keys.sessionUsage(event.sessionId),
        this.keys.sessionUsageEvents(event.sessionId),
        this.keys.usageUserDay(event.tenant, event.userId, windows.day),
        this.keys.usageGlobalHour(windows.hour),
      ],
      [
        event.eventId,
        event.inputTokens,
        event.outputTokens,
        event.costMicros,
        this.ttlMs,
        windows.msToDayEnd + WINDOW_MARGIN_MS,
        windows.msToHourEnd + WINDOW_MARGIN_MS,
      ],
    )) as number[];
    if (reply[0] !== 1) return { counted: false };
    return {
      counted: true,
      sessionCostMicros: Number(reply[1]),
      userDayCostMicros: Number(reply[2]),
      globalHourCostMicros: Number(reply[3]),
    };
  }

  /** What the platform burnt in the current clock hour, as counted from usage events. */
  async globalHourUsage(nowMs = Date.now()): Promise<{ costMicros: number; tokens: number; calls: number }> {
    const fields = await this.redis.hgetall(this.keys.usageGlobalHour(budgetWindows(nowMs).hour));
    return {
      costMicros: Number(fields.costMicros ?? 0),
      tokens: Number(fields.tokens ?? 0),
      calls: Number(fields.calls ?? 0),
    };
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
