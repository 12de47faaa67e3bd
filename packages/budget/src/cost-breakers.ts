import { type RedisConnection, type RedisKeys, redisKeys } from '@agentops/core';
import { traceBreakerTransition } from '@agentops/telemetry';
import type { SpendScope } from './cost-ledger.ts';

export interface CostBreakerView {
  scope: SpendScope;
  key: string;
  state: 'open';
  reason: string;
  openedAt: string;
  until: string;
}

/**
 * The cost breakers as ops see and reset them. A breaker is a hash with a TTL to the end of its
 * window, so it closes by itself when the day or hour rolls; the index only makes them listable.
 */
export class CostBreakers {
  private readonly redis: RedisConnection;
  private readonly keys: RedisKeys;

  constructor(redis: RedisConnection, prefix: string) {
    this.redis = redis;
    this.keys = redisKeys(prefix);
  }

  async list(nowMs = Date.now()): Promise<CostBreakerView[]> {
    await this.redis.zremrangebyscore(this.keys.costBreakerIndex, '-inf', String(nowMs));
    const breakerKeys = await this.redis.zrange(this.keys.costBreakerIndex, '0', '-1');
    const views: CostBreakerView[] = [];
    for (const key of breakerKeys) {
      const fields = await this.redis.hgetall(key);
      if (!fields.scope) {
        await this.redis.zrem(this.keys.costBreakerIndex, key);
        continue;
      }
      views.push({
        scope: fields.scope as SpendScope,
        key: fields.key ?? '',
        state: 'open',
        reason: fields.reason ?? '',
        openedAt: new Date(Number(fields.openedAtMs)).toISOString(),
        until: new Date(Number(fields.untilMs)).toISOString(),
      });
    }
    return views;
  }

  async isOpen(scope: SpendScope, key: string): Promise<boolean> {
    return (await this.redis.exists(this.keys.costBreaker(scope, key))) === 1;
  }

  /** Milliseconds until the global breaker closes by itself, or 0 when it is closed. */
  async globalOpenForMs(): Promise<number> {
    return Math.max(0, await this.redis.pttl(this.keys.costBreaker('global', 'global')));
  }

  async open(
    scope: SpendScope,
    key: string,
    reason: string,
    ttlMs: number,
    nowMs = Date.now(),
  ): Promise<boolean> {
    const breaker = this.keys.costBreaker(scope, key);
    const [[, created]] = (await this.redis
      .multi()
      .hsetnx(breaker, 'scope', scope)
      .hset(
        breaker,
        'key',
        key,
        'state',
        'open',
        'reason',
        reason,
        'openedAtMs',
        nowMs,
        'untilMs',
        nowMs + ttlMs,
      )
      .pexpire(breaker, ttlMs)
      .zadd(this.keys.costBreakerIndex, nowMs + ttlMs, breaker)
      .exec()) as [[Error | null, number]];
    if (created === 1) traceBreakerTransition({ scope, key, transition: 'opened', reason });
    return created === 1;
  }

  /** Returns false when no such breaker was open. */
  async reset(scope: SpendScope, key: string): Promise<boolean> {
    const breaker = this.keys.costBreaker(scope, key);
    const [[, deleted]] = (await this.redis
      .multi()
      .del(breaker)
      .zrem(this.keys.costBreakerIndex, breaker)
      .exec()) as [[Error | null, number]];
    if (deleted === 1) traceBreakerTransition({ scope, key, transition: 'reset' });
    return deleted === 1;
  }
}
