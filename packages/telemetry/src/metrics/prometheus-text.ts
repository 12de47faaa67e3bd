import type { AlertRecord } from '../alerts/alert-store.ts';
import type { BreakerState, MetricsSnapshot } from './metrics-snapshot.ts';

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

type Labels = Record<string, string>;

/** Prometheus text exposition (version 0.0.4), written by hand: the values come from Redis, not a registry. */
class Exposition {
  private readonly lines: string[] = [];

  metric(name: string, type: 'gauge' | 'counter', help: string, samples: [Labels, number][]): void {
    this.lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of samples)
      this.lines.push(`${name}${formatLabels(labels)} ${formatValue(value)}`);
  }

  single(name: string, type: 'gauge' | 'counter', help: string, value: number): void {
    this.metric(name, type, help, [[{}, value]]);
  }

  toString(): string {
    return `${this.lines.join('\n')}\n`;
  }
}

function formatLabels(labels: Labels): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  const escapeValue = (value: string) =>
    value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
  return `{${entries.map(([name, value]) => `${name}="${escapeValue(value)}"`).join(',')}}`;
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  return String(Math.round(value * 1e9) / 1e9);
}

const BREAKER_LEVEL: Record<BreakerState, number> = { closed: 0, half_open: 1, open: 2 };
const BREAKER_SCOPES = ['session', 'user', 'global', 'tool'];
const FEW_KEYS = new Set(['tool', 'global']);

/** The platform's metrics (README "Operating it" lists them) from one snapshot and the alert states. */
export function renderPrometheus(snapshot: MetricsSnapshot, alerts: readonly AlertRecord[]): string {
  const out = new Exposition();
  const { windows, daily_budget: budget } = snapshot.config;

  out.single(
    'agentops_tool_window_seconds',
    'gauge',
    'The rolling window of the tool call metrics.',
    windows.tool_errors_seconds,
  );
  out.metric(
    'agentops_tool_calls',
    'gauge',
    'Tool call attempts in the rolling window.',
    snapshot.tools.map((tool) => [{ tool: tool.tool }, tool.calls]),
  );
  out.metric(
    'agentops_tool_errors',
    'gauge',
    'Tool call attempts that ended in an error in the rolling window.',
    snapshot.tools.map((tool) => [{ tool: tool.tool }, tool.errors]),
  );
  out.metric(
    'agentops_tool_error_ratio',
    'gauge',
    'Errors per tool call attempt in the rolling window (0 to 1).',
    snapshot.tools.map((tool) => [{ tool: tool.tool }, tool.errorRatio]),
  );

  out.single(
    'agentops_llm_tokens_last_hour',
    'gauge',
    'Model tokens (input and output) in the last 60 minutes.',
    snapshot.burn.tokensLastHour,
  );
  out.single(
    'agentops_llm_cost_usd_last_hour',
    'gauge',
    'Model spend in USD in the last 60 minutes.',
    snapshot.burn.costMicrosLastHour / 1e6,
  );
  out.single(
    'agentops_llm_tokens_today',
    'gauge',
    'Model tokens since 00:00 UTC.',
    snapshot.burn.tokensToday,
  );
  out.single(
    'agentops_llm_cost_usd_today',
    'gauge',
    'Model spend in USD since 00:00 UTC.',
    snapshot.burn.costMicrosToday / 1e6,
  );
  out.single(
    'agentops_daily_budget_usd',
    'gauge',
    'The daily dollar budget the burn alert compares with.',
    budget.usd,
  );
  out.single(
    'agentops_daily_budget_tokens',
    'gauge',
    'The daily token budget the burn alert compares with.',
    budget.tokens,
  );
  out.metric('agentops_budget_burn_ratio', 'gauge', "Today's spend as a share of the daily budget.", [
    [{ unit: 'usd' }, snapshot.burn.costMicrosToday / 1e6 / budget.usd],
    [{ unit: 'tokens' }, snapshot.burn.tokensToday / budget.tokens],
  ]);

  const durations = snapshot.sessionDurationsMs;
  const costs = snapshot.sessionCostsMicros;
  out.single(
    'agentops_session_window_seconds',
    'gauge',
    'Sessions with a turn ended in this window are sampled.',
    windows.sessions_seconds,
  );
  out.single(
    'agentops_sessions_sampled',
    'gauge',
    'Sessions in the session duration and cost percentiles.',
    durations.count,
  );
  out.single(
    'agentops_session_duration_p50_seconds',
    'gauge',
    'Median session duration (first turn accepted to last turn ended).',
    durations.p50 / 1000,
  );
  out.single(
    'agentops_session_duration_p99_seconds',
    'gauge',
    '99th percentile session duration.',
    durations.p99 / 1000,
  );
  out.single(
    'agentops_session_cost_p50_usd',
    'gauge',
    'Median model cost per session in USD.',
    costs.p50 / 1e6,
  );
  out.single(
    'agentops_session_cost_p99_usd',
    'gauge',
    '99th percentile model cost per session in USD.',
    costs.p99 / 1e6,
  );

  out.single(
    'agentops_injection_detections_total',
    'counter',
    'Prompt-injection detections since the counter was created.',
    snapshot.injections.total,
  );
  out.single(
    'agentops_injection_detections_window',
    'gauge',
    'Prompt-injection detections in the injection window.',
    snapshot.injections.inWindow,
  );
  out.single(
    'agentops_injection_detections_baseline',
    'gauge',
    'Mean detections per injection window over the baseline period.',
    snapshot.injections.baselinePerWindow,
  );
  out.metric(
    'agentops_injection_actions_total',
    'counter',
    'Prompt-injection detections by where they were found (user, tool) and what the guard did (logged, marked, stripped, blocked).',
    snapshot.security.injectionActions.map(({ source, action, count }) => [{ source, action }, count]),
  );
  out.metric(
    'agentops_prompt_leaks_withheld_total',
    'counter',
    'Replies and tool arguments withheld because they carried the system prompt, by where and by what evidence (canary, verbatim).',
    snapshot.security.promptLeaks.map(({ where, evidence, count }) => [{ where, evidence }, count]),
  );

  out.metric(
    'agentops_queue_jobs',
    'gauge',
    'Jobs in each queue by state.',
    snapshot.queues.flatMap((queue) =>
      Object.entries(queue.counts).map(([state, count]): [Labels, number] => [
        { queue: queue.queue, state },
        count,
      ]),
    ),
  );
  out.metric(
    'agentops_queue_wait_seconds_mean',
    'gauge',
    'Mean time jobs that started in the wait window had waited for a worker.',
    snapshot.queues.map((queue) => [{ queue: queue.queue }, queue.meanWaitMs / 1000]),
  );
  out.metric(
    'agentops_queue_jobs_started_window',
    'gauge',
    'Jobs that started in the wait window.',
    snapshot.queues.map((queue) => [{ queue: queue.queue }, queue.startedInWindow]),
  );
  out.metric(
    'agentops_queue_oldest_waiting_seconds',
    'gauge',
    'How long the oldest job still waiting has waited.',
    snapshot.queues.map((queue) => [{ queue: queue.queue }, queue.oldestWaitingMs / 1000]),
  );

  // Per key only where keys are few (tools, the platform); session and user breakers are counted,
  // or every session id would become a time series.
  out.metric(
    'agentops_breaker_state',
    'gauge',
    'Circuit breaker state of each tool and of the global cost breaker: 0 closed, 1 half-open, 2 open.',
    snapshot.breakers
      .filter((breaker) => FEW_KEYS.has(breaker.scope))
      .map((breaker) => [{ scope: breaker.scope, key: breaker.key }, BREAKER_LEVEL[breaker.state]]),
  );
  out.metric(
    'agentops_breakers_open',
    'gauge',
    'Breakers not closed, by scope (session, user, global, tool).',
    BREAKER_SCOPES.map((scope) => [
      { scope },
      snapshot.breakers.filter((breaker) => breaker.scope === scope && breaker.state !== 'closed').length,
    ]),
  );
  out.metric(
    'agentops_breaker_transitions_total',
    'counter',
    'Circuit breaker transitions by scope.',
    snapshot.breakerTransitions.map((entry) => [
      { scope: entry.scope, transition: entry.transition },
      entry.count,
    ]),
  );

  out.single(
    'agentops_escalations_waiting',
    'gauge',
    'Escalated sessions no support agent has claimed yet.',
    snapshot.escalationsWaiting,
  );

  out.metric(
    'agentops_alert_firing',
    'gauge',
    'Alerts known to the evaluator: 1 firing, 0 resolved.',
    alerts.map((alert) => [
      { alert: alert.id, rule: alert.rule, severity: alert.severity },
      alert.state === 'firing' ? 1 : 0,
    ]),
  );
  return out.toString();
}
