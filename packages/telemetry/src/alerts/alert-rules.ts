import type { MetricsSnapshot } from '../metrics/metrics-snapshot.ts';
import { DAY_MS } from '../metrics/series.ts';
import type { AlertRecord } from './alert-store.ts';

export type AlertRuleName =
  | 'tool_error_rate'
  | 'budget_burn'
  | 'stuck_sessions'
  | 'injection_rate'
  | 'session_cost';

/** One rule's verdict on one subject (a tool, the dollar budget, ...). */
export interface AlertFinding {
  id: string;
  rule: AlertRuleName;
  severity: 'warning' | 'critical';
  labels: Record<string, string>;
  firing: boolean;
  value: number;
  threshold: number;
  summary: string;
}

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;
const usd = (micros: number) => `$${(micros / 1_000_000).toFixed(micros >= 10_000 ? 2 : 4)}`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const minutes = (s: number) => (s % 60 === 0 ? `${s / 60} min` : `${s} s`);

/**
 * Every enabled rule's findings for a snapshot. `previous` holds the stored alerts, for the one
 * rule with memory: a budget burn that fired before midday stays firing for the rest of that day.
 */
export function evaluateAlertRules(
  snapshot: MetricsSnapshot,
  previous: ReadonlyMap<string, AlertRecord>,
): AlertFinding[] {
  const rules = snapshot.config.rules;
  return [
    ...(rules.tool_error_rate.enabled ? toolErrorRate(snapshot) : []),
    ...(rules.budget_burn.enabled ? budgetBurn(snapshot, previous) : []),
    ...(rules.stuck_sessions.enabled ? [stuckSessions(snapshot)] : []),
    ...(rules.injection_rate.enabled ? [injectionRate(snapshot)] : []),
    ...(rules.session_cost.enabled ? [sessionCost(snapshot)] : []),
  ];
}

function toolErrorRate(snapshot: MetricsSnapshot): AlertFinding[] {
  const rule = snapshot.config.rules.tool_error_rate;
  const window = minutes(snapshot.config.windows.tool_errors_seconds);
  return snapshot.tools.map((tool) => {
    const percent = round(tool.errorRatio * 100, 1);
    return {
      id: `tool_error_rate:${tool.tool}`,
      rule: 'tool_error_rate',
      severity: 'warning',
      labels: { tool: tool.tool },
      firing: tool.calls >= rule.min_calls && percent > rule.threshold_percent,
      value: percent,
      threshold: rule.threshold_percent,
      summary: `${tool.tool} failed ${tool.errors} of ${tool.calls} calls (${percent}%) in the last ${window}; the threshold is ${rule.threshold_percent}% over at least ${rule.min_calls} calls`,
    };
  });
}

function budgetBurn(snapshot: MetricsSnapshot, previous: ReadonlyMap<string, AlertRecord>): AlertFinding[] {
  const rule = snapshot.config.rules.budget_burn;
  const budget = snapshot.config.daily_budget;
  const now = new Date(snapshot.atMs);
  const dayStart = Math.floor(snapshot.atMs / DAY_MS) * DAY_MS;
  const beforeCutoff = now.getUTCHours() < rule.before_hour_utc;
  const clock = now.toISOString().slice(11, 16);
  const measures = [
    {
      unit: 'usd',
      spent: snapshot.burn.costMicrosToday,
      limit: budget.usd * 1_000_000,
      describe: (value: number) => usd(value),
    },
    {
      unit: 'tokens',
      spent: snapshot.burn.tokensToday,
      limit: budget.tokens,
      describe: (value: number) => `${value.toLocaleString('en-US')} tokens`,
    },
  ];
  return measures.map(({ unit, spent, limit, describe }) => {
    const id = `budget_burn:${unit}`;
    const fraction = spent / limit;
    const stored = previous.get(id);
    // The rule is about the morning; once it fired, the day's spend does not become fine at noon.
    const firedToday = stored?.state === 'firing' && Date.parse(stored.startsAt) >= dayStart;
    return {
      id,
      rule: 'budget_burn',
      severity: 'critical',
      labels: { unit },
      firing: fraction >= rule.fraction && (beforeCutoff || firedToday),
      value: round(fraction, 4),
      threshold: rule.fraction,
      summary: `${describe(spent)} spent today by ${clock} UTC: ${round(fraction * 100, 1)}% of the daily budget of ${describe(limit)}; the alert is for ${round(rule.fraction * 100, 1)}% before ${String(rule.before_hour_utc).padStart(2, '0')}:00 UTC`,
    };
  });
}

function stuckSessions(snapshot: MetricsSnapshot): AlertFinding {
  const rule = snapshot.config.rules.stuck_sessions;
  const { count, p50, p99 } = snapshot.sessionDurationsMs;
  const ratio = p99 / Math.max(p50, 1);
  return {
    id: 'stuck_sessions',
    rule: 'stuck_sessions',
    severity: 'warning',
    labels: {},
    firing: count >= rule.min_sessions && ratio > rule.factor,
    value: round(ratio),
    threshold: rule.factor,
    summary: `p99 session duration ${seconds(p99)} is ${round(ratio, 1)}× the median ${seconds(p50)} across ${count} sessions; the alert is for over ${rule.factor}× with at least ${rule.min_sessions} sessions`,
  };
}

function injectionRate(snapshot: MetricsSnapshot): AlertFinding {
  const rule = snapshot.config.rules.injection_rate;
  const { inWindow, baselinePerWindow } = snapshot.injections;
  const threshold = round(rule.factor * baselinePerWindow);
  const window = minutes(snapshot.config.windows.injections_seconds);
  return {
    id: 'injection_rate',
    rule: 'injection_rate',
    severity: 'critical',
    labels: {},
    firing: inWindow >= rule.min_detections && inWindow > rule.factor * baselinePerWindow,
    value: inWindow,
    threshold,
    summary: `${inWindow} prompt-injection detections in the last ${window}, against a baseline of ${round(baselinePerWindow)} per ${window} over ${snapshot.config.windows.injection_baseline_hours} h; the alert is for over ${rule.factor}× the baseline and at least ${rule.min_detections}`,
  };
}

function sessionCost(snapshot: MetricsSnapshot): AlertFinding {
  const rule = snapshot.config.rules.session_cost;
  const { count, p50, p99 } = snapshot.sessionCostsMicros;
  const ratio = p99 / Math.max(p50, 1);
  return {
    id: 'session_cost',
    rule: 'session_cost',
    severity: 'warning',
    labels: {},
    firing: count >= rule.min_sessions && ratio > rule.factor,
    value: round(ratio),
    threshold: rule.factor,
    summary: `p99 cost per session ${usd(p99)} is ${round(ratio, 1)}× the median ${usd(p50)} across ${count} sessions; the alert is for over ${rule.factor}× with at least ${rule.min_sessions} sessions`,
  };
}
