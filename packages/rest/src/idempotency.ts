import { createHash } from 'node:crypto';
import type { RedisConnection, RedisKeys } from '@agentops/core';
import { z } from 'zod';
import type { Principal } from './api-keys.ts';
import { ProblemError, problems } from './problem.ts';

/** What a handler answers; kept so that a retried request gets the first answer again. */
export interface Reply {
  status: number;
  body: unknown;
}

const StoredReply = z.discriminatedUnion('state', [
  z.object({ state: z.literal('pending'), requestHash: z.string() }),
  z.object({ state: z.literal('done'), requestHash: z.string(), status: z.number(), body: z.unknown() }),
]);

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * `Idempotency-Key` on POSTs (API.md): the same key with the same request answers the first
 * reply and creates nothing new; the same key with another request is a 409. A client that lost
 * the answer to "create a turn" can retry without the turn running twice.
 */
export class IdempotencyStore {
  private readonly redis: RedisConnection;
  private readonly keys: RedisKeys;
  private readonly ttlMs: number;

  constructor(redis: RedisConnection, keys: RedisKeys, ttlSeconds: number) {
    this.redis = redis;
    this.keys = keys;
    this.ttlMs = ttlSeconds * 1000;
  }

  async run(
    principal: Principal,
    idempotencyKey: string | undefined,
    request: { method: string; path: string; body: unknown },
    handle: () => Promise<Reply>,
  ): Promise<Reply & { replayed?: boolean }> {
    if (idempotencyKey === undefined) return handle();
    if (idempotencyKey.length === 0 || idempotencyKey.length > 255) {
      throw problems.validation(
        [{ path: 'Idempotency-Key', message: 'must be 1 to 255 characters' }],
        'header',
      );
    }
    // Scoped by key id and route, so two clients (or two routes) never share an answer.
    const redisKey = this.keys.idempotency(
      principal.tenant,
      principal.keyId,
      sha256(`${request.path}\n${idempotencyKey}`),
    );
    const requestHash = sha256(`${request.method} ${request.path}\n${JSON.stringify(request.body ?? null)}`);
    const pending = JSON.stringify({ state: 'pending', requestHash });
    const claimed = await this.redis.set(redisKey, pending, 'PX', this.ttlMs, 'NX');
    if (claimed === null) return this.replay(redisKey, requestHash);

    try {
      const reply = await handle();
      if (reply.status < 500) {
        await this.redis.set(
          redisKey,
          JSON.stringify({ state: 'done', requestHash, ...reply }),
          'PX',
          this.ttlMs,
        );
      } else {
        await this.redis.del(redisKey);
      }
      return reply;
    } catch (error) {
      // A refused request created nothing, so the same key may be used again once it is fixed.
      await this.redis.del(redisKey);
      throw error;
    }
  }

  private async replay(redisKey: string, requestHash: string): Promise<Reply & { replayed: boolean }> {
    const raw = await this.redis.get(redisKey);
    const stored = raw === null ? undefined : StoredReply.safeParse(JSON.parse(raw)).data;
    if (!stored) {
      throw new ProblemError(409, 'idempotency-in-progress', 'Conflict', 'Retry this request in a moment.', {
        headers: { 'Retry-After': '1' },
      });
    }
    if (stored.requestHash !== requestHash) {
      throw problems.conflict(
        'idempotency-mismatch',
        'This Idempotency-Key was already used with a different request; use a new key for a new request.',
      );
    }
    if (stored.state === 'pending') {
      throw new ProblemError(
        409,
        'idempotency-in-progress',
        'Conflict',
        'The first request with this Idempotency-Key is still being processed; retry in a moment.',
        { headers: { 'Retry-After': '1' } },
      );
    }
    return { status: stored.status, body: stored.body, replayed: true };
  }
}
