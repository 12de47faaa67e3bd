import {
  defineLuaCommand,
  type LuaCommand,
  type RedisConnection,
  readLuaScript,
  redisKeys,
} from '@agentops/core';
import type { NextFunction, Request, Response } from 'express';
import { problems } from './problem.ts';

const COMMANDS_DIR = new URL('./commands/', import.meta.url);

export interface RateLimitSettings {
  /** Requests one API key may make per window; 0 turns the limit off. */
  requests: number;
  windowSeconds: number;
}

export type RateDecision = { admitted: true; remaining: number } | { admitted: false; retryAfterMs: number };

/**
 * A per-key request limit shared by every API replica (one Lua script per request, Redis's clock),
 * so that one client's runaway loop cannot take the API, the queues or the model budget from the
 * others (OWASP LLM10, unbounded consumption).
 */
export class KeyRateLimiter {
  private readonly keys: ReturnType<typeof redisKeys>;
  private readonly settings: RateLimitSettings;
  private readonly script: LuaCommand;

  constructor(redis: RedisConnection, prefix: string, settings: RateLimitSettings) {
    this.keys = redisKeys(prefix);
    this.settings = settings;
    this.script = defineLuaCommand(
      redis,
      'agentopsRateLimit',
      readLuaScript(COMMANDS_DIR, 'rate-limit', ['lib-clock']),
    );
  }

  get enabled(): boolean {
    return this.settings.requests > 0;
  }

  async admit(keyId: string): Promise<RateDecision> {
    const [admitted, value] = (await this.script(
      [this.keys.rateLimit(keyId)],
      [this.settings.requests, this.settings.windowSeconds * 1000],
    )) as [number, number];
    return admitted === 1 ? { admitted: true, remaining: value } : { admitted: false, retryAfterMs: value };
  }

  /** Middleware: 429 with `Retry-After` once the caller's key is over its limit. */
  middleware() {
    return async (_request: Request, response: Response, next: NextFunction) => {
      const principal = response.locals.principal as { keyId: string } | undefined;
      if (!principal || !this.enabled) return next();
      const decision = await this.admit(principal.keyId);
      if (!decision.admitted) {
        throw problems.tooManyRequests(
          `This API key made more than ${this.settings.requests} requests in ${this.settings.windowSeconds} s; retry later.`,
          Math.ceil(decision.retryAfterMs / 1000),
        );
      }
      next();
    };
  }
}
