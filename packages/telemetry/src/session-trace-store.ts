import { deflateRawSync, inflateRawSync } from 'node:zlib';
import {
  defineLuaCommand,
  type LuaCommand,
  type RedisConnection,
  type RedisKeys,
  readLuaScript,
  redisKeys,
} from '@agentops/core';
import { z } from 'zod';
import { ATTR } from './attributes.ts';

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

/**
 * Batches kept per session, newest kept. A batch is what one process finished in one tick, so a
 * turn writes a handful; a session at the cap holds thousands of spans.
 */
export const MAX_BATCHES_PER_SESSION = 2_000;

/**
 * Writes finished spans to their session's list in Redis. Span processors are called
 * synchronously as spans end, so spans are buffered and written together (after `flushDelayMs`,
 * or at the end of the tick when it is 0) in one script call for every session, each session's
 * batch as one deflated JSON array: a session's trace lives as long as the session (days), and its
 * spans repeat the same attribute names, so this keeps it several times smaller. A delay of a few
 * tens of milliseconds gathers a turn's spans into one batch: fewer round trips and fewer, larger
 * deflates. `flush` waits for what is buffered and in flight (at shutdown, before Redis is closed).
 */
export class SessionSpanWriter {
  private readonly keys: RedisKeys;
  private readonly ttlMs: number;
  private readonly onError: (error: unknown) => void;
  private readonly flushDelayMs: number;
  private readonly appendScript: LuaCommand;
  private buffer = new Map<string, StoredSpan[]>();
  private scheduled = false;
  private inFlight = new Set<Promise<void>>();

  constructor(
    redis: RedisConnection,
    prefix: string,
    ttlSeconds: number,
    onError: (error: unknown) => void,
    options: { flushDelayMs?: number } = {},
  ) {
    this.keys = redisKeys(prefix);
    this.ttlMs = ttlSeconds * 1000;
    this.onError = onError;
    this.flushDelayMs = options.flushDelayMs ?? 0;
    this.appendScript = defineLuaCommand(
      redis,
      'agentops_append_span_batches',
      readLuaScript(new URL('./commands/', import.meta.url), 'append-span-batches'),
    );
  }

  add(sessionId: string, span: StoredSpan): void {
    const list = this.buffer.get(sessionId) ?? [];
    list.push(span);
    this.buffer.set(sessionId, list);
    if (this.scheduled) return;
    this.scheduled = true;
    if (this.flushDelayMs > 0) setTimeout(() => this.write(), this.flushDelayMs).unref();
    else setImmediate(() => this.write());
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
    const keys = [...batch.keys()].map((sessionId) => this.keys.sessionTrace(sessionId));
    const batches = [...batch.values()].map(encodeBatch);
    const written: Promise<void> = this.appendScript(keys, [
      this.ttlMs,
      MAX_BATCHES_PER_SESSION,
      ...batches,
    ]).then(
      () => undefined,
      (error: unknown) => this.onError(error),
    );
    this.inFlight.add(written);
    written.finally(() => this.inFlight.delete(written));
  }
}

/** Reads a session's spans, oldest first. */
export class SessionTraceStore {
  private readonly redis: RedisConnection;
  private readonly keys: RedisKeys;

  constructor(redis: RedisConnection, prefix: string) {
    this.redis = redis;
    this.keys = redisKeys(prefix);
  }

  async spans(sessionId: string): Promise<StoredSpan[]> {
    const batches = await this.redis.lrangeBuffer(this.keys.sessionTrace(sessionId), 0, -1);
    const spans: StoredSpan[] = [];
    for (const batch of batches) {
      for (const item of decodeBatch(batch)) {
        const parsed = StoredSpan.safeParse(item);
        if (parsed.success) spans.push(parsed.data);
      }
    }
    return spans.sort((a, b) => a.startMs - b.startMs);
  }
}

/**
 * A preset deflate dictionary of what every stored span repeats (field and attribute names, common
 * values), so that even a batch of one span compresses well. Batches start with the version byte
 * of the dictionary they were written with; change the dictionary only under a new version.
 */
const DICTIONARY_V1 = Buffer.from(
  [
    ...Object.values(ATTR).map((name) => `"${name}":`),
    '"messaging.system":"bullmq","messaging.operation.type":"process","messaging.operation.type":"send",',
    '"kind":"producer","kind":"consumer","kind":"server","service":"tool-worker","service":"budget","service":"api",',
    '"status":"error","status":"ok","tool.status":"success","budget.outcome":"reserved","gen_ai.system":"sim",',
    '{"traceId":"","spanId":"","parentSpanId":"","name":"","kind":"internal","service":"router","startAt":"20',
    '","startMs":17,"durationMs":0.,"status":"unset","attributes":{"session.id":"ses_","turn.id":"turn_"}}',
  ].join(''),
);
const BATCH_V1 = 1;

function encodeBatch(spans: readonly StoredSpan[]): Buffer {
  const packed = deflateRawSync(JSON.stringify(spans), { dictionary: DICTIONARY_V1 });
  return Buffer.concat([Buffer.from([BATCH_V1]), packed]);
}

/** A batch that does not decode (not ours, or damaged) is skipped, not fatal to the whole trace. */
function decodeBatch(batch: Buffer): unknown[] {
  try {
    if (batch[0] !== BATCH_V1) return [];
    const json = inflateRawSync(batch.subarray(1), { dictionary: DICTIONARY_V1 }).toString('utf8');
    const items = JSON.parse(json) as unknown;
    return Array.isArray(items) ? items : [];
  } catch {
    return [];
  }
}
