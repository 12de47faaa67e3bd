import {
  defineLuaCommand,
  type LuaCommand,
  type RedisConnection,
  type RedisKeys,
  readLuaScript,
  redisKeys,
} from '@agentops/core';
import {
  bucketMs,
  bucketStart,
  NO_LABEL,
  SERIES,
  SESSION_SAMPLE_CAP,
  SESSION_SAMPLE_RETENTION_MS,
  type SeriesSpec,
} from './series.ts';

const COMMANDS_DIR = new URL('../commands/', import.meta.url);

/** Names of the all-time counters in the totals hash. */
export const TOTALS = {
  injections: 'injections',
  /** By scope, not key: session-scoped breakers would make the hash grow with every session. */
  breakerTransition: (scope: string, transition: string) => `breaker_transitions|${scope}|${transition}`,
} as const;

/** One addition to one bucket of one rolling counter, as the rolling-add script takes it. */
interface RollingEntry {
  hash: string;
  labels: string;
  bucket: number;
  amount: number;
  retentionMs: number;
  label: string;
  maxFields: number;
}

/**
 * Writes the aggregates that `/metrics` and the alert rules read. Every method takes the time of
 * the event, so tests can write an hour of traffic in a moment (the injectable clock).
 *
 * With `batchWindowMs`, the rolling counters' additions of that window are summed per bucket and
 * written in one script call: a turn feeds about ten of them (queue waits, model usage, tool
 * calls), and the counters' buckets are a minute wide, so a few tens of milliseconds change no
 * figure and save most of the round trips.
 */
export class MetricsRecorder {
  private readonly redis: RedisConnection;
  private readonly keys: RedisKeys;
  private readonly fineBucketMs: number;
  private readonly batchWindowMs: number;
  private readonly rollingAdd: LuaCommand;
  private readonly sessionTurn: LuaCommand;
  private pending: { entries: Map<string, RollingEntry>; written: Promise<void> } | undefined;

  constructor(
    redis: RedisConnection,
    prefix: string,
    options: { fineBucketMs: number; batchWindowMs?: number },
  ) {
    this.redis = redis;
    this.keys = redisKeys(prefix);
    this.fineBucketMs = options.fineBucketMs;
    this.batchWindowMs = options.batchWindowMs ?? 0;
    this.rollingAdd = defineLuaCommand(
      redis,
      'agentops_metrics_rolling_add',
      readLuaScript(COMMANDS_DIR, 'rolling-add'),
    );
    this.sessionTurn = defineLuaCommand(
      redis,
      'agentops_metrics_session_turn',
      readLuaScript(COMMANDS_DIR, 'session-turn'),
    );
  }

  async toolCall(tool: string, failed: boolean, atMs: number): Promise<void> {
    await this.add(atMs, [
      [SERIES.toolCalls, tool, 1],
      [SERIES.toolErrors, tool, failed ? 1 : 0],
    ]);
  }

  async modelUsage(tokens: number, costMicros: number, atMs: number): Promise<void> {
    await this.add(atMs, [
      [SERIES.llmTokens, NO_LABEL, tokens],
      [SERIES.llmCostMicros, NO_LABEL, costMicros],
      [SERIES.llmTokensDaily, NO_LABEL, tokens],
      [SERIES.llmCostMicrosDaily, NO_LABEL, costMicros],
    ]);
  }

  async queueWait(queue: string, waitMs: number, atMs: number): Promise<void> {
    await this.add(atMs, [
      [SERIES.queueWaitMs, queue, Math.round(waitMs)],
      [SERIES.queueJobs, queue, 1],
    ]);
  }

  async turnEnded(sessionId: string, acceptedAtMs: number, endedAtMs: number, costMicros: number) {
    await this.sessionTurn(
      [
        this.keys.metricsSessions('first'),
        this.keys.metricsSessions('seen'),
        this.keys.metricsSessions('duration'),
        this.keys.metricsSessions('cost'),
      ],
      [
        sessionId,
        Math.round(acceptedAtMs),
        Math.round(endedAtMs),
        Math.round(costMicros),
        SESSION_SAMPLE_RETENTION_MS,
        SESSION_SAMPLE_CAP,
      ],
    );
  }

  async injectionDetected(atMs: number): Promise<void> {
    await Promise.all([
      this.redis.hincrby(this.keys.metricsTotals, TOTALS.injections, 1),
      this.add(atMs, [
        [SERIES.injections, NO_LABEL, 1],
        [SERIES.injectionsHourly, NO_LABEL, 1],
      ]),
    ]);
  }

  async breakerTransition(scope: string, transition: string): Promise<void> {
    await this.redis.hincrby(this.keys.metricsTotals, TOTALS.breakerTransition(scope, transition), 1);
  }

  /** Adds to several counters in one script call: one round trip per span, however many it feeds. */
  private async add(
    atMs: number,
    additions: [series: SeriesSpec, label: string, amount: number][],
  ): Promise<void> {
    const entries: RollingEntry[] = [];
    for (const [series, label, amount] of additions) {
      if (amount === 0) continue;
      const size = bucketMs(series.bucket, this.fineBucketMs);
      entries.push({
        hash: this.keys.metricsRolling(series.name, label),
        labels: this.keys.metricsRollingLabels(series.name),
        bucket: bucketStart(atMs, size),
        amount,
        retentionMs: series.retentionMs,
        label,
        maxFields: Math.ceil(series.retentionMs / size) + 1,
      });
    }
    if (entries.length === 0) return;
    if (this.batchWindowMs <= 0) return this.write(entries);
    return this.addToBatch(entries);
  }

  /** Joins the window's batch (starting it if none is open); resolves once the batch is written. */
  private addToBatch(entries: RollingEntry[]): Promise<void> {
    if (!this.pending) {
      const batch = new Map<string, RollingEntry>();
      const written = new Promise<void>((resolve, reject) => {
        setTimeout(() => {
          this.pending = undefined;
          this.write([...batch.values()]).then(resolve, reject);
        }, this.batchWindowMs).unref();
      });
      this.pending = { entries: batch, written };
    }
    for (const entry of entries) {
      const key = `${entry.hash}\n${entry.bucket}`;
      const same = this.pending.entries.get(key);
      if (same) same.amount += entry.amount;
      else this.pending.entries.set(key, { ...entry });
    }
    return this.pending.written;
  }

  private async write(entries: RollingEntry[]): Promise<void> {
    const keys: string[] = [];
    const args: (string | number)[] = [];
    for (const entry of entries) {
      keys.push(entry.hash, entry.labels);
      args.push(entry.bucket, entry.amount, entry.retentionMs, entry.label, entry.maxFields);
    }
    await this.rollingAdd(keys, args);
  }
}
