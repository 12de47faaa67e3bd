import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ALERTS_CONFIG, loadAlertsConfig } from './alerts-config.ts';

const file = (yaml: string) => {
  const path = join(mkdtempSync(join(tmpdir(), 'alerts-config-')), 'alerts.yaml');
  writeFileSync(path, yaml);
  return path;
};

describe('the alerts file', () => {
  it('ships with the thresholds of the issue: 20% tool errors in 5 minutes, half the budget before noon, 5× and 3×', () => {
    const shipped = loadAlertsConfig(new URL('../../../../contracts/alerts.yaml', import.meta.url));
    expect(shipped.windows.tool_errors_seconds).toBe(300);
    expect(shipped.rules.tool_error_rate.threshold_percent).toBe(20);
    expect(shipped.rules.budget_burn).toMatchObject({ fraction: 0.5, before_hour_utc: 12 });
    expect(shipped.rules.stuck_sessions.factor).toBe(5);
    expect(shipped.rules.session_cost.factor).toBe(5);
    expect(shipped.rules.injection_rate.factor).toBe(3);
  });

  it('needs to say only what it changes', () => {
    const config = loadAlertsConfig(file('rules:\n  tool_error_rate: { threshold_percent: 50 }\n'));
    expect(config.rules.tool_error_rate).toEqual({ enabled: true, threshold_percent: 50, min_calls: 10 });
    expect(config.windows).toEqual(DEFAULT_ALERTS_CONFIG.windows);
    expect(loadAlertsConfig(file(''))).toEqual(DEFAULT_ALERTS_CONFIG);
  });

  it('stops the process on a typo or a bad value, naming the file and the field', () => {
    const typo = file('rules:\n  tool_error_rate: { treshold_percent: 50 }\n');
    expect(() => loadAlertsConfig(typo)).toThrow(/alerts\.yaml: rules\.tool_error_rate: .*treshold_percent/);
    expect(() => loadAlertsConfig(file('rules:\n  budget_burn: { fraction: 2 }\n'))).toThrow(
      /rules\.budget_burn\.fraction/,
    );
    expect(() => loadAlertsConfig('/nonexistent/alerts.yaml')).toThrow(/not found/);
  });
});
