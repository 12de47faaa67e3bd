import { connectTestRedis, deleteKeys, testPrefix } from '@agentops/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { KeyRateLimiter } from './rate-limit.ts';

const redis = connectTestRedis();
const prefix = testPrefix('rate-limit');

afterAll(async () => {
  await deleteKeys(redis, `${prefix}:`);
  redis.disconnect();
});

describe('KeyRateLimiter', () => {
  it('admits a key up to its limit, then refuses it with the time until it may retry', async () => {
    const limiter = new KeyRateLimiter(redis, prefix, { requests: 5, windowSeconds: 60 });
    const decisions = [];
    for (let i = 0; i < 7; i++) decisions.push(await limiter.admit('key_busy'));
    expect(decisions.slice(0, 5).every((decision) => decision.admitted)).toBe(true);
    expect(decisions.slice(0, 5).map((decision) => (decision.admitted ? decision.remaining : -1))).toEqual([
      4, 3, 2, 1, 0,
    ]);
    const refused = decisions[6];
    expect(refused?.admitted).toBe(false);
    if (refused?.admitted === false) {
      expect(refused.retryAfterMs).toBeGreaterThan(0);
      expect(refused.retryAfterMs).toBeLessThanOrEqual(120_000);
    }
  });

  it('counts each key on its own', async () => {
    const limiter = new KeyRateLimiter(redis, prefix, { requests: 1, windowSeconds: 60 });
    expect((await limiter.admit('key_a')).admitted).toBe(true);
    expect((await limiter.admit('key_a')).admitted).toBe(false);
    expect((await limiter.admit('key_b')).admitted).toBe(true);
  });

  it('does not count refused requests, so a client that backs off gets back in', async () => {
    const limiter = new KeyRateLimiter(redis, prefix, { requests: 2, windowSeconds: 60 });
    await limiter.admit('key_c');
    await limiter.admit('key_c');
    for (let i = 0; i < 5; i++) await limiter.admit('key_c');
    const stored = await redis.hget(`${prefix}:rate-limit:key_c`, 'current');
    expect(stored).toBe('2');
  });

  it('is off with a limit of 0', () => {
    expect(new KeyRateLimiter(redis, prefix, { requests: 0, windowSeconds: 60 }).enabled).toBe(false);
  });
});
