import type { AlertsConfig } from '../alerts/alerts-config.ts';
import type { MetricsReader, Percentiles } from './metrics-reader.ts';
import { HOUR_MS, SERIES } from './series.ts';

/** A platform queue as the metrics see it; BullMQ's Queue fits. */
export interface QueueProbe {
  readonly name: string;
  getJobCounts(...types: string[]): Promise<Record<string, number>>;
  getWaiting(start?: number, end?: number): Promise<({ timestamp: number } | undefined)[]>;
}

export type BreakerState = 'closed' | 'open' | 'half_open';

export interface BreakerView {
  scope: string;
  key: string;
  state: BreakerState;
}

/** Where the metrics read what is not a Redis aggregate of ours. */
export interface MetricsSources {
  queues: readonly QueueProbe[];
  /** The breakers that are not closed (cost and tool breakers, as `GET /v1/breakers` lists them). */
  breakers(): Promise<readonly BreakerView[]>;
  /** Breakers that always exist (each tool's, the global one): shown as closed when not listed. */
  knownBreakers: readonly { scope: string; key: string }[];
  /** Escalations no support agent has claimed yet. */
  escalationsWaiting(): Promise<number>;
}

export const QUEUE_STATES = [
  'waiting',
  'prioritized',
  'active',
  'delayed',
  'waiting-children',
  'failed',
] as const;

export interface QueueMetrics {
  queue: string;
  counts: Record<(typeof QUEUE_STATES)[number], number>;
  /** Jobs that started within the wait window, and their mean wait for a worker. */
  startedInWindow: number;
  meanWaitMs: number;
  /** How long the oldest job still waiting has waited (0 when none waits). */
  oldestWaitingMs: number;
}

export interface ToolMetrics {
  tool: string;
  calls: number;
  errors: number;
  /** errors / calls, 0 with no calls. */
  errorRatio: number;
}

/** Every number `/metrics` shows and the alert rules judge, read at one moment. */
export interface MetricsSnapshot {
  atMs: number;
  config: AlertsConfig;
  tools: ToolMetrics[];
  burn: {
    tokensLastHour: number;
    costMicrosLastHour: number;
    tokensToday: number;
    costMicrosToday: number;
  };
  sessionDurationsMs: Percentiles;
  sessionCostsMicros: Percentiles;
  injections: { total: number; inWindow: number; baselinePerWindow: number };
  security: Awaited<ReturnType<MetricsReader['securityCounts']>>;
  queues: QueueMetrics[];
  breakers: BreakerView[];
  breakerTransitions: { scope: string; transition: string; count: number }[];
  escalationsWaiting: number;
}

export async function takeMetricsSnapshot(
  reader: MetricsReader,
  sources: MetricsSources,
  config: AlertsConfig,
  nowMs: number,
): Promise<MetricsSnapshot> {
  const windows = config.windows;
  const toolWindowMs = windows.tool_errors_seconds * 1000;
  const injectionWindowMs = windows.injections_seconds * 1000;
  const baselineMs = windows.injection_baseline_hours * HOUR_MS;
  const [
    calls,
    errors,
    tokensLastHour,
    costMicrosLastHour,
    tokensToday,
    costMicrosToday,
    sessions,
    totals,
    injectionsInWindow,
    injectionsBaseline,
    queues,
    breakers,
    escalationsWaiting,
    security,
  ] = await Promise.all([
    reader.windowSums(SERIES.toolCalls, toolWindowMs, nowMs),
    reader.windowSums(SERIES.toolErrors, toolWindowMs, nowMs),
    reader.windowSum(SERIES.llmTokens, HOUR_MS, nowMs),
    reader.windowSum(SERIES.llmCostMicros, HOUR_MS, nowMs),
    reader.windowSum(SERIES.llmTokensDaily, 1, nowMs),
    reader.windowSum(SERIES.llmCostMicrosDaily, 1, nowMs),
    reader.sessionSamples(windows.sessions_seconds * 1000, nowMs),
    reader.totals(),
    reader.windowSum(SERIES.injections, injectionWindowMs, nowMs),
    reader.windowSum(SERIES.injectionsHourly, baselineMs, nowMs),
    queueMetrics(reader, sources.queues, windows.queue_wait_seconds * 1000, nowMs),
    allBreakers(sources),
    sources.escalationsWaiting(),
    reader.securityCounts(),
  ]);
  const tools = [...calls.entries()]
    .map(([tool, count]) => {
      const failed = errors.get(tool) ?? 0;
      return { tool, calls: count, errors: failed, errorRatio: count > 0 ? failed / count : 0 };
    })
    .sort((a, b) => a.tool.localeCompare(b.tool));
  // The baseline is the detections before the current window, spread over windows of that size.
  const baselineWindows = Math.max(1, (baselineMs - injectionWindowMs) / injectionWindowMs);
  return {
    atMs: nowMs,
    config,
    tools,
    burn: { tokensLastHour, costMicrosLastHour, tokensToday, costMicrosToday },
    sessionDurationsMs: sessions.durations,
    sessionCostsMicros: sessions.costs,
    injections: {
      total: totals.injections,
      inWindow: injectionsInWindow,
      baselinePerWindow: Math.max(0, injectionsBaseline - injectionsInWindow) / baselineWindows,
    },
    security,
    queues,
    breakers: [...breakers].sort((a, b) => `${a.scope}:${a.key}`.localeCompare(`${b.scope}:${b.key}`)),
    breakerTransitions: totals.breakerTransitions,
    escalationsWaiting,
  };
}

async function allBreakers(sources: MetricsSources): Promise<BreakerView[]> {
  const open = await sources.breakers();
  const listed = new Set(open.map((breaker) => `${breaker.scope}:${breaker.key}`));
  const closed = sources.knownBreakers
    .filter((breaker) => !listed.has(`${breaker.scope}:${breaker.key}`))
    .map((breaker): BreakerView => ({ ...breaker, state: 'closed' }));
  return [...open.map(({ scope, key, state }) => ({ scope, key, state })), ...closed];
}

async function queueMetrics(
  reader: MetricsReader,
  queues: readonly QueueProbe[],
  windowMs: number,
  nowMs: number,
): Promise<QueueMetrics[]> {
  const [waits, started] = await Promise.all([
    reader.windowSums(SERIES.queueWaitMs, windowMs, nowMs),
    reader.windowSums(SERIES.queueJobs, windowMs, nowMs),
  ]);
  return Promise.all(
    queues.map(async (queue) => {
      const [counts, oldest] = await Promise.all([
        queue.getJobCounts(...QUEUE_STATES),
        queue.getWaiting(0, 0),
      ]);
      const jobs = started.get(queue.name) ?? 0;
      const oldestTimestamp = oldest[0]?.timestamp;
      return {
        queue: queue.name,
        counts: Object.fromEntries(
          QUEUE_STATES.map((state) => [state, counts[state] ?? 0]),
        ) as QueueMetrics['counts'],
        startedInWindow: jobs,
        meanWaitMs: jobs > 0 ? (waits.get(queue.name) ?? 0) / jobs : 0,
        oldestWaitingMs: oldestTimestamp === undefined ? 0 : Math.max(0, nowMs - oldestTimestamp),
      };
    }),
  );
}
