/**
 * The rolling counters kept in Redis. Several processes write them (router, tool workers, budget)
 * and the API reads them, so their bucket sizes are shared constants, except the fine bucket,
 * which `METRICS_BUCKET_SECONDS` sets for every process alike (tests use 1 s to run in seconds).
 */
export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

export type BucketSize = 'fine' | 'hour' | 'day';

export interface SeriesSpec {
  name: string;
  bucket: BucketSize;
  retentionMs: number;
}

const fine = (name: string): SeriesSpec => ({ name, bucket: 'fine', retentionMs: 2 * HOUR_MS });

export const SERIES = {
  /** Tool attempts and failed attempts, labelled by tool. */
  toolCalls: fine('tool_calls'),
  toolErrors: fine('tool_errors'),
  /** Time jobs waited for a worker (sum, ms) and how many jobs that is, labelled by queue. */
  queueWaitMs: fine('queue_wait_ms'),
  queueJobs: fine('queue_jobs'),
  /** Model tokens and micro-dollars: the last hour from fine buckets, today from a day bucket. */
  llmTokens: fine('llm_tokens'),
  llmCostMicros: fine('llm_cost_micros'),
  llmTokensDaily: { name: 'llm_tokens_daily', bucket: 'day', retentionMs: 3 * DAY_MS },
  llmCostMicrosDaily: { name: 'llm_cost_micros_daily', bucket: 'day', retentionMs: 3 * DAY_MS },
  /** Prompt-injection detections: recent ones, and hourly ones for the baseline (up to a week). */
  injections: fine('injections'),
  injectionsHourly: { name: 'injections_hourly', bucket: 'hour', retentionMs: 8 * DAY_MS },
} as const satisfies Record<string, SeriesSpec>;

/** The label of a series that has only one. */
export const NO_LABEL = '_';

/** Per-session samples (duration and cost) are kept this long; windows read within it. */
export const SESSION_SAMPLE_RETENTION_MS = DAY_MS;
/** At most this many sessions are sampled; the least recently seen make room. */
export const SESSION_SAMPLE_CAP = 20_000;

export function bucketMs(size: BucketSize, fineBucketMs: number): number {
  return size === 'fine' ? fineBucketMs : size === 'hour' ? HOUR_MS : DAY_MS;
}

export function bucketStart(atMs: number, sizeMs: number): number {
  return Math.floor(atMs / sizeMs) * sizeMs;
}
