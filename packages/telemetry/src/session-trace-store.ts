import { type RedisKeys, redisKeys } from '@agentops/core';
import type { Redis } from 'ioredis';
import { z } from 'zod';

/** One finished span as kept for its session (and served by `GET /v1/sessions/:id/trace`). */
export const StoredSpan = z.object({
  traceId: z.string(),
  spanId: z.string(),
  parentSpanId: z.string().optional(),
  name: z.string(),
  kind: z.enum(['internal', 'server', 'client', 'producer', 'consumer']),
  service: z.string(),
  startAt: z.string(),
  /** Start in fractional milliseconds, to order spans that start within the same millisecond. */
  startMs: z.number(),
  durationMs: z.number(),
  status: z.enum(['unset', 'ok', 'error']),
  statusMessage: z.string().optional(),
  attributes: z.record(
    z.string(),
    z.union([z.string(), z.number(), z.boolean(), z.array(z.union([z.string(), z.number(), z.boolean()]))]),
  ),
});
export type StoredSpan = z.infer<typeof StoredSpan>;

/** Spans kept per session, newest kept: a turn is some ten spans, a runaway one far fewer than this. */
export const MAX_SPANS_PER_SESSION = 5_000;

/**
 * Writes finished spans to their session's list in Redis. Span processors are called
 * synchronously as spans end, so spans are buffered and written once per tick in one pipeline;
 * `flush` waits for what is buffered and in flight (at shutdown, before Redis is closed).
 */
export class SessionSpanWriter {
  private readonly redis: Redis;
  private readonly keys: RedisKeys;
  private readonly ttlMs: number;
  private readonly onError: (error: unknown) => void;
  private buffer = new Map<string, string[]>();
  private scheduled = false;
  private inFlight = new Set<Promise<void>>();

  constructor(redis: Redis, prefix: string, ttlSeconds: number, onError: (error: unknown) => void) {
    this.redis = redis;
    this.keys = redisKeys(prefix);
    this.ttlMs = ttlSeconds * 1000;
    this.onError = onError;
  }

  add(sessionId: string, span: StoredSpan): void {
    const list = this.buffer.get(sessionId) ?? [];
    list.push(JSON.stringify(span));
    this.buffer.set(sessionId, list);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.write());
  }

  async flush(): Promise<void> {
    if (this.buffer.size > 0) this.write();
    await Promise.all(this.inFlight);
  }

  private write(): void {
    this.scheduled = false;
    if (this.buffer.size === 0) return;
    const batch = this.buffer;
    this.buffer = new Map();
    const pipeline = this.redis.pipeline();
    for (const [sessionId, spans] of batch) {
      const key = this.keys.sessionTrace(sessionId);
      pipeline.rpush(key, ...spans);
      pipeline.ltrim(key, -MAX_SPANS_PER_SESSION, -1);
      pipeline.pexpire(key, this.ttlMs);
    }
    const written: Promise<void> = pipeline.exec().then(
      () => undefined,
      (error: unknown) => this.onError(error),
    );
    this.inFlight.add(written);
    written.finally(() => this.inFlight.delete(written));
  }
}

/** Reads a session's spans, oldest first. */
export class SessionTraceStore {
  private readonly redis: Redis;
  private readonly keys: RedisKeys;

  constructor(redis: Redis, prefix: string) {
    this.redis = redis;
    this.keys = redisKeys(prefix);
  }

  async spans(sessionId: string): Promise<StoredSpan[]> {
    const raw = await this.redis.lrange(this.keys.sessionTrace(sessionId), 0, -1);
    const spans: StoredSpan[] = [];
    for (const line of raw) {
      const parsed = StoredSpan.safeParse(safeJson(line));
      if (parsed.success) spans.push(parsed.data);
    }
    return spans.sort((a, b) => a.startMs - b.startMs);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
