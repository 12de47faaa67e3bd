import { readFileSync } from 'node:fs';
import { ConfigError } from '@agentops/core';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

const enabled = z.boolean().default(true);
const positive = z.number().positive();

/**
 * The alert rules' thresholds and the windows of the metrics they read (`contracts/alerts.yaml`).
 * Every field has a default, so a file needs to say only what it changes; an unknown field is an
 * error, so that a typo does not silently leave a default in force.
 */
export const AlertsConfig = z
  .object({
    evaluation_interval_seconds: positive.max(3_600).default(15),
    windows: z
      .object({
        tool_errors_seconds: positive.max(3_600).default(300),
        sessions_seconds: positive.max(86_400).default(3_600),
        queue_wait_seconds: positive.max(3_600).default(300),
        injections_seconds: positive.max(3_600).default(300),
        injection_baseline_hours: positive.max(168).default(24),
      })
      .strict()
      .prefault({}),
    daily_budget: z
      .object({ usd: positive.default(50), tokens: z.number().int().positive().default(50_000_000) })
      .strict()
      .prefault({}),
    rules: z
      .object({
        tool_error_rate: z
          .object({
            enabled,
            threshold_percent: z.number().min(0).max(100).default(20),
            min_calls: z.number().int().min(1).default(10),
          })
          .strict()
          .prefault({}),
        budget_burn: z
          .object({
            enabled,
            fraction: z.number().gt(0).max(1).default(0.5),
            before_hour_utc: z.number().int().min(0).max(24).default(12),
          })
          .strict()
          .prefault({}),
        stuck_sessions: z
          .object({ enabled, factor: positive.default(5), min_sessions: z.number().int().min(1).default(20) })
          .strict()
          .prefault({}),
        injection_rate: z
          .object({
            enabled,
            factor: positive.default(3),
            min_detections: z.number().int().min(1).default(3),
          })
          .strict()
          .prefault({}),
        session_cost: z
          .object({ enabled, factor: positive.default(5), min_sessions: z.number().int().min(1).default(20) })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
  })
  .strict();
export type AlertsConfig = z.infer<typeof AlertsConfig>;

export const DEFAULT_ALERTS_CONFIG: AlertsConfig = AlertsConfig.parse({});

/** Reads and validates the alerts file; a bad file stops the process with the file and field named. */
export function loadAlertsConfig(file: URL | string): AlertsConfig {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, 'utf8')) ?? {};
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : 'not valid YAML';
    throw new ConfigError(`${String(file)}: ${reason}`);
  }
  const parsed = AlertsConfig.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map(
    (issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`,
  );
  throw new ConfigError(`${String(file)}: ${problems.join('; ')}`);
}
