import type { Logger } from 'pino';
import type { MetricsSnapshot } from '../metrics/metrics-snapshot.ts';
import { evaluateAlertRules } from './alert-rules.ts';
import type { AlertRecord, AlertStore } from './alert-store.ts';
import type { AlertsConfig } from './alerts-config.ts';

export interface AlertEvaluatorDeps {
  /** The same snapshot `/metrics` renders, so an alert and its graph read the same numbers. */
  snapshot(nowMs: number): Promise<MetricsSnapshot>;
  store: AlertStore;
  config: AlertsConfig;
  logger: Logger;
  /** Where firing and resolved alerts are POSTed (ALERT_WEBHOOK_URL); none when unset. */
  webhookUrl?: string;
  clock?: () => number;
}

const WEBHOOK_TIMEOUT_MS = 5_000;

/**
 * Evaluates the alert rules every `evaluation_interval_seconds`. A change of state is logged and
 * posted to the webhook once, by whichever replica stored it (AlertStore.record).
 */
export class AlertEvaluator {
  private readonly deps: AlertEvaluatorDeps;
  private readonly clock: () => number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(deps: AlertEvaluatorDeps) {
    this.deps = deps;
    this.clock = deps.clock ?? Date.now;
  }

  start(): void {
    const tick = () => {
      this.running = this.evaluate()
        .then(
          () => undefined,
          (error: unknown) => this.deps.logger.warn({ err: error }, 'alert evaluation failed'),
        )
        .finally(() => {
          this.running = undefined;
          if (this.timer) this.schedule(tick, this.deps.config.evaluation_interval_seconds * 1000);
        });
    };
    this.schedule(tick, 0);
  }

  private schedule(tick: () => void, delayMs: number): void {
    // Unref'd: a pending evaluation never keeps a stopping process alive.
    this.timer = setTimeout(tick, delayMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One evaluation of every rule; returns the alerts whose state changed. */
  async evaluate(): Promise<AlertRecord[]> {
    const nowMs = this.clock();
    const now = new Date(nowMs).toISOString();
    const [snapshot, stored] = await Promise.all([this.deps.snapshot(nowMs), this.deps.store.all()]);
    const previous = new Map(stored.map((alert) => [alert.id, alert]));
    const findings = evaluateAlertRules(snapshot, previous);
    const seen = new Set(findings.map((finding) => finding.id));
    const records: AlertRecord[] = findings.map((finding) => ({
      id: finding.id,
      rule: finding.rule,
      severity: finding.severity,
      state: finding.firing ? 'firing' : 'resolved',
      labels: finding.labels,
      value: finding.value,
      threshold: finding.threshold,
      summary: finding.summary,
      startsAt: now,
      updatedAt: now,
      ...(finding.firing ? {} : { resolvedAt: now }),
    }));
    // A firing alert whose rule was switched off, or whose tool has had no calls for a window,
    // has nothing left to fire about.
    for (const alert of stored) {
      if (alert.state === 'firing' && !seen.has(alert.id)) {
        records.push({ ...alert, state: 'resolved', updatedAt: now, resolvedAt: now });
      }
    }
    const changed: AlertRecord[] = [];
    for (const record of records) {
      const transition = await this.deps.store.record(record);
      if (transition) changed.push(transition);
    }
    await Promise.all(changed.map((alert) => this.announce(alert)));
    await this.deps.store.prune(nowMs);
    return changed;
  }

  private async announce(alert: AlertRecord): Promise<void> {
    const fields = {
      alert: alert.id,
      rule: alert.rule,
      severity: alert.severity,
      value: alert.value,
      threshold: alert.threshold,
      summary: alert.summary,
    };
    if (alert.state === 'firing') this.deps.logger.warn(fields, 'alert firing');
    else this.deps.logger.info(fields, 'alert resolved');
    if (!this.deps.webhookUrl) return;
    try {
      const response = await fetch(this.deps.webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ status: alert.state, alert }),
        signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
      });
      if (!response.ok) {
        this.deps.logger.warn({ alert: alert.id, status: response.status }, 'alert webhook refused');
      }
    } catch (error) {
      this.deps.logger.warn({ alert: alert.id, err: error }, 'alert webhook failed');
    }
  }
}
