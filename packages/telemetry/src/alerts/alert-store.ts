import {
  defineLuaCommand,
  type LuaCommand,
  type RedisConnection,
  type RedisKeys,
  readLuaScript,
  redisKeys,
} from '@agentops/core';
import { z } from 'zod';

const COMMANDS_DIR = new URL('../commands/', import.meta.url);

/** An alert as stored and as `GET /v1/alerts` lists it. */
export const AlertRecord = z.object({
  id: z.string(),
  rule: z.string(),
  severity: z.enum(['warning', 'critical']),
  state: z.enum(['firing', 'resolved']),
  labels: z.record(z.string(), z.string()),
  value: z.number(),
  threshold: z.number(),
  summary: z.string(),
  startsAt: z.string(),
  updatedAt: z.string(),
  resolvedAt: z.string().optional(),
});
export type AlertRecord = z.infer<typeof AlertRecord>;

/** Resolved alerts stay listed this long, so that ops can see what fired overnight. */
export const RESOLVED_ALERT_RETENTION_MS = 24 * 3_600_000;

/** Alert states in one Redis hash, shared by every API replica. */
export class AlertStore {
  private readonly redis: RedisConnection;
  private readonly keys: RedisKeys;
  private readonly transitionScript: LuaCommand;

  constructor(redis: RedisConnection, prefix: string) {
    this.redis = redis;
    this.keys = redisKeys(prefix);
    this.transitionScript = defineLuaCommand(
      redis,
      'agentops_alert_transition',
      readLuaScript(COMMANDS_DIR, 'alert-transition'),
    );
  }

  async all(): Promise<AlertRecord[]> {
    const fields = await this.redis.hgetall(this.keys.alerts);
    const alerts: AlertRecord[] = [];
    for (const value of Object.values(fields)) {
      try {
        const parsed = AlertRecord.safeParse(JSON.parse(value));
        if (parsed.success) alerts.push(parsed.data);
      } catch {
        // A field that is not JSON is not an alert of ours; it is left alone.
      }
    }
    // Firing first, then the most recent.
    return alerts.sort(
      (a, b) =>
        (a.state === 'firing' ? 0 : 1) - (b.state === 'firing' ? 0 : 1) ||
        b.updatedAt.localeCompare(a.updatedAt),
    );
  }

  /** Stores the alert's latest state; returns it when the state changed (and this caller should announce it). */
  async record(alert: AlertRecord): Promise<AlertRecord | undefined> {
    const changed = await this.transitionScript([this.keys.alerts], [alert.id, JSON.stringify(alert)]);
    if (typeof changed !== 'string') return undefined;
    const parsed = AlertRecord.safeParse(JSON.parse(changed));
    return parsed.success ? parsed.data : undefined;
  }

  /** Drops resolved alerts older than the retention; the hash holds one field per rule and subject. */
  async prune(nowMs: number): Promise<void> {
    const stale = (await this.all())
      .filter(
        (alert) =>
          alert.state === 'resolved' && nowMs - Date.parse(alert.updatedAt) > RESOLVED_ALERT_RETENTION_MS,
      )
      .map((alert) => alert.id);
    if (stale.length > 0) await this.redis.hdel(this.keys.alerts, ...stale);
  }
}
