import { type InjectionAction, type InjectionSource, type RedisConnection, redisKeys } from '@agentops/core';

/** Where a system-prompt leak was caught, and by what. */
export type LeakPlace = 'reply' | 'tool_arguments';

/**
 * The all-time counters of the guard, one small Redis hash each (a handful of fields, so no TTL
 * is needed), shared by every process; `/metrics` shows them (MetricsReader.securityCounts).
 */
export class SecurityCounters {
  private readonly redis: RedisConnection;
  private readonly keys: ReturnType<typeof redisKeys>;

  constructor(redis: RedisConnection, prefix: string) {
    this.redis = redis;
    this.keys = redisKeys(prefix);
  }

  async countInjection(source: InjectionSource, action: InjectionAction): Promise<void> {
    await this.redis.hincrby(this.keys.injectionDetections, `${source}:${action}`, 1);
  }

  async countLeak(where: LeakPlace, evidence: string): Promise<void> {
    await this.redis.hincrby(this.keys.promptLeaks, `${where}:${evidence}`, 1);
  }
}
