import { type InjectionAction, type InjectionSource, redisKeys } from '@agentops/core';
import type { Redis } from 'ioredis';

/** Where a system-prompt leak was caught, and by what. */
export type LeakPlace = 'reply' | 'tool_arguments';

export interface SecurityCounts {
  /** `<source>:<action>` (e.g. `tool:stripped`) to a count, all time. */
  injectionDetections: Record<string, number>;
  /** `<where>:<evidence>` (e.g. `reply:canary`) to a count, all time. */
  promptLeaks: Record<string, number>;
}

/**
 * The all-time counters of the guard, one small Redis hash each (a handful of fields, so no TTL
 * is needed), shared by every process so that the metrics layer reads one number per series.
 */
export class SecurityCounters {
  private readonly redis: Redis;
  private readonly keys: ReturnType<typeof redisKeys>;

  constructor(redis: Redis, prefix: string) {
    this.redis = redis;
    this.keys = redisKeys(prefix);
  }

  async countInjection(source: InjectionSource, action: InjectionAction): Promise<void> {
    await this.redis.hincrby(this.keys.injectionDetections, `${source}:${action}`, 1);
  }

  async countLeak(where: LeakPlace, evidence: string): Promise<void> {
    await this.redis.hincrby(this.keys.promptLeaks, `${where}:${evidence}`, 1);
  }

  async read(): Promise<SecurityCounts> {
    const [injections, leaks] = await Promise.all([
      this.redis.hgetall(this.keys.injectionDetections),
      this.redis.hgetall(this.keys.promptLeaks),
    ]);
    return { injectionDetections: numbers(injections), promptLeaks: numbers(leaks) };
  }
}

function numbers(hash: Record<string, string>): Record<string, number> {
  return Object.fromEntries(Object.entries(hash).map(([field, value]) => [field, Number(value)]));
}
