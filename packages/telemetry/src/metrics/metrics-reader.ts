import { type RedisConnection, type RedisKeys, redisKeys } from '@agentops/core';
import { TOTALS } from './metrics-recorder.ts';
import { bucketMs, bucketStart, NO_LABEL, type SeriesSpec } from './series.ts';

export interface Percentiles {
  count: number;
  p50: number;
  p99: number;
}

/** Nearest-rank percentile of sorted values: the smallest value with at least p of them at or below. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1] ?? 0;
}

export function percentiles(values: readonly number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  return { count: sorted.length, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99) };
}

/** Reads the aggregates MetricsRecorder writes. */
export class MetricsReader {
  private readonly redis: RedisConnection;
  private readonly keys: RedisKeys;
  private readonly fineBucketMs: number;

  constructor(redis: RedisConnection, prefix: string, options: { fineBucketMs: number }) {
    this.redis = redis;
    this.keys = redisKeys(prefix);
    this.fineBucketMs = options.fineBucketMs;
  }

  /**
   * Each label's total over the buckets that overlap the window ending now. The oldest bucket
   * may start before the window: a window is exact to one bucket.
   */
  async windowSums(series: SeriesSpec, windowMs: number, nowMs: number): Promise<Map<string, number>> {
    const size = bucketMs(series.bucket, this.fineBucketMs);
    const from = bucketStart(nowMs - windowMs, size) + (windowMs % size === 0 ? size : 0);
    const to = bucketStart(nowMs, size);
    const labels = await this.redis.smembers(this.keys.metricsRollingLabels(series.name));
    const sums = new Map<string, number>();
    if (labels.length === 0) return sums;
    const pipeline = this.redis.pipeline();
    for (const label of labels) pipeline.hgetall(this.keys.metricsRolling(series.name, label));
    const replies = (await pipeline.exec()) ?? [];
    labels.forEach((label, index) => {
      const fields = (replies[index]?.[1] ?? {}) as Record<string, string>;
      let sum = 0;
      for (const [field, value] of Object.entries(fields)) {
        const start = Number(field);
        if (start >= from && start <= to) sum += Number(value);
      }
      sums.set(label, sum);
    });
    return sums;
  }

  async windowSum(series: SeriesSpec, windowMs: number, nowMs: number): Promise<number> {
    return (await this.windowSums(series, windowMs, nowMs)).get(NO_LABEL) ?? 0;
  }

  /** Duration (ms) and cost (micro-dollars) of the sessions that had a turn end within the window. */
  async sessionSamples(
    windowMs: number,
    nowMs: number,
  ): Promise<{ durations: Percentiles; costs: Percentiles }> {
    const sessions = await this.redis.zrangebyscore(
      this.keys.metricsSessions('seen'),
      nowMs - windowMs,
      '+inf',
    );
    if (sessions.length === 0) {
      const none = { count: 0, p50: 0, p99: 0 };
      return { durations: none, costs: none };
    }
    const [durations, costs] = await Promise.all([
      this.redis.zmscore(this.keys.metricsSessions('duration'), ...sessions),
      this.redis.zmscore(this.keys.metricsSessions('cost'), ...sessions),
    ]);
    const present = (values: (string | null)[]) =>
      values.filter((value): value is string => value !== null).map(Number);
    return { durations: percentiles(present(durations)), costs: percentiles(present(costs)) };
  }

  /**
   * The guard's all-time counters (packages/guard): detections by where they were found and what
   * was done, and system-prompt leaks withheld by where and by what evidence.
   */
  async securityCounts(): Promise<{
    injectionActions: { source: string; action: string; count: number }[];
    promptLeaks: { where: string; evidence: string; count: number }[];
  }> {
    const [actions, leaks] = await Promise.all([
      this.redis.hgetall(this.keys.injectionDetections),
      this.redis.hgetall(this.keys.promptLeaks),
    ]);
    const pairs = (hash: Record<string, string>) =>
      Object.entries(hash)
        .map(([field, value]) => [...field.split(':'), Number(value)] as [string, string, number])
        .sort((a, b) => `${a[0]}:${a[1]}`.localeCompare(`${b[0]}:${b[1]}`));
    return {
      injectionActions: pairs(actions).map(([source, action, count]) => ({ source, action, count })),
      promptLeaks: pairs(leaks).map(([where, evidence, count]) => ({ where, evidence, count })),
    };
  }

  async totals(): Promise<{
    injections: number;
    breakerTransitions: { scope: string; transition: string; count: number }[];
  }> {
    const fields = await this.redis.hgetall(this.keys.metricsTotals);
    const breakerTransitions = [];
    for (const [field, value] of Object.entries(fields)) {
      const [kind, scope, transition] = field.split('|');
      if (kind === 'breaker_transitions' && scope && transition)
        breakerTransitions.push({ scope, transition, count: Number(value) });
    }
    return { injections: Number(fields[TOTALS.injections] ?? 0), breakerTransitions };
  }
}
