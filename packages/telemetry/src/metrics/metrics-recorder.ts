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

/**
 * Writes the aggregates that `/metrics` and the alert rules read. Every method takes the time of
 * the event, so tests can write an hour of traffic in a moment (the injectable clock).
 */
export class MetricsRecorder {
  private readonly redis: RedisConnection;
  private readonly keys: RedisKeys;
  private readonly fineBucketMs: number;
  private readonly rollingAdd: LuaCommand;
  private readonly sessionTurn: LuaCommand;

  constructor(redis: RedisConnection, prefix: string, options: { fineBucketMs: number }) {
    this.redis = redis;
    this.keys = redisKeys(prefix);
    this.fineBucketMs = options.fineBucketMs;
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
    entries: [series: SeriesSpec, label: string, amount: number][],
  ): Promise<void> {
    const keys: string[] = [];
    const args: (string | number)[] = [];
    for (const [series, label, amount] of entries) {
      if (amount === 0) continue;
      const size = bucketMs(series.bucket, this.fineBucketMs);
      keys.push(this.keys.metricsRolling(series.name, label), this.keys.metricsRollingLabels(series.name));
      args.push(
        bucketStart(atMs, size),
        amount,
        series.retentionMs,
        label,
        Math.ceil(series.retentionMs / size) + 1,
      );
    }
    if (keys.length > 0) await this.rollingAdd(keys, args);
  }
}
