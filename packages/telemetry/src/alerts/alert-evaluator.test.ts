import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MetricsReader } from '../metrics/metrics-reader.ts';
import { MetricsRecorder } from '../metrics/metrics-recorder.ts';
import { type MetricsSources, takeMetricsSnapshot } from '../metrics/metrics-snapshot.ts';
import { AlertEvaluator } from './alert-evaluator.ts';
import { AlertStore } from './alert-store.ts';
import { AlertsConfig } from './alerts-config.ts';

/**
 * Each rule driven through the same recorder the services feed from their spans, on real Redis,
 * with the clock injected: an hour of history is written in a moment.
 */
const run = `test-alerts-${randomBytes(4).toString('hex')}`;
const redis = new Redis(process.env.REDIS_URL || 'redis://127.0.0.1:6379');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const config = AlertsConfig.parse({
  evaluation_interval_seconds: 1,
  daily_budget: { usd: 1, tokens: 1_000_000 },
});
const sources: MetricsSources = {
  queues: [],
  breakers: async () => [],
  knownBreakers: [],
  escalationsWaiting: async () => 0,
};
const silent = pino({ level: 'silent' });

let prefix: string;
let recorder: MetricsRecorder;
let now: number;
let hooks: { status: string; alert: { id: string } }[];
let hookServer: Server;
let hookUrl: string;

function evaluator(options: { webhook?: boolean } = {}) {
  const reader = new MetricsReader(redis, prefix, { fineBucketMs: MINUTE });
  return new AlertEvaluator({
    snapshot: (nowMs) => takeMetricsSnapshot(reader, sources, config, nowMs),
    store: new AlertStore(redis, prefix),
    config,
    logger: silent,
    clock: () => now,
    ...(options.webhook ? { webhookUrl: hookUrl } : {}),
  });
}

const firing = async () =>
  (await new AlertStore(redis, prefix).all())
    .filter((alert) => alert.state === 'firing')
    .map((alert) => alert.id);

beforeAll(async () => {
  hookServer = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      hooks.push(JSON.parse(body));
      response.end();
    });
  });
  await new Promise<void>((resolve) => hookServer.listen(0, '127.0.0.1', resolve));
  hookUrl = `http://127.0.0.1:${(hookServer.address() as AddressInfo).port}/hook`;
});

beforeEach(() => {
  prefix = `${run}-${randomBytes(3).toString('hex')}`;
  recorder = new MetricsRecorder(redis, prefix, { fineBucketMs: MINUTE });
  now = Date.parse('2026-03-02T08:00:00Z');
  hooks = [];
});

afterAll(async () => {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${run}-*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
  redis.disconnect();
  await new Promise<void>((resolve) => hookServer.close(() => resolve()));
});

describe('tool error rate', () => {
  it('fires for a tool failing over 20% of at least 10 calls in 5 minutes, and resolves when the window passes', async () => {
    for (let call = 0; call < 10; call++)
      await recorder.toolCall('get_order_status', call < 4, now - call * 1000);
    // Two failures of three calls: a high rate, but too few calls to mean anything.
    for (let call = 0; call < 3; call++) await recorder.toolCall('search_docs', call < 2, now);

    const changed = await evaluator({ webhook: true }).evaluate();
    expect(changed.map((alert) => alert.id)).toEqual(['tool_error_rate:get_order_status']);
    expect(changed[0]).toMatchObject({ state: 'firing', value: 40, threshold: 20, severity: 'warning' });
    expect(changed[0]?.summary).toBe(
      'get_order_status failed 4 of 10 calls (40%) in the last 5 min; the threshold is 20% over at least 10 calls',
    );
    expect(hooks).toEqual([
      { status: 'firing', alert: expect.objectContaining({ id: 'tool_error_rate:get_order_status' }) },
    ]);

    now += 3 * MINUTE;
    expect(await evaluator({ webhook: true }).evaluate()).toEqual([]);
    now += 4 * MINUTE;
    const resolved = await evaluator({ webhook: true }).evaluate();
    expect(resolved).toEqual([
      expect.objectContaining({
        id: 'tool_error_rate:get_order_status',
        state: 'resolved',
        startsAt: changed[0]?.startsAt,
      }),
    ]);
    expect(hooks.map((hook) => hook.status)).toEqual(['firing', 'resolved']);
  });
});

describe('budget burn', () => {
  it('fires when half the daily budget is spent before midday, and stays firing for the rest of the day', async () => {
    now = Date.parse('2026-03-02T09:30:00Z');
    await recorder.modelUsage(10_000, 400_000, now - HOUR);
    expect(await firing()).toEqual([]);
    await evaluator().evaluate();
    expect(await firing()).toEqual([]);

    await recorder.modelUsage(10_000, 150_000, now);
    await evaluator().evaluate();
    expect(await firing()).toEqual(['budget_burn:usd']);

    now = Date.parse('2026-03-02T15:00:00Z');
    await evaluator().evaluate();
    expect(await firing()).toEqual(['budget_burn:usd']);

    now = Date.parse('2026-03-03T08:00:00Z');
    await evaluator().evaluate();
    expect(await firing()).toEqual([]);
  });

  it('does not fire when the same spend is reached in the afternoon', async () => {
    now = Date.parse('2026-03-02T13:00:00Z');
    await recorder.modelUsage(900_000, 800_000, now);
    await evaluator().evaluate();
    expect(await firing()).toEqual([]);
  });
});

/** Twenty ordinary sessions and, optionally, one outlier. */
async function sessions(outlier: { durationMs: number; costMicros: number } | undefined) {
  for (let session = 0; session < 20; session++) {
    await recorder.turnEnded(`ses_${session}`, now - 10_000, now, 10_000);
  }
  if (outlier) await recorder.turnEnded('ses_outlier', now - outlier.durationMs, now, outlier.costMicros);
}

describe('stuck sessions and costly sessions', () => {
  it('fires when p99 session duration is over 5× the median', async () => {
    await sessions({ durationMs: 60_000, costMicros: 10_000 });
    await evaluator().evaluate();
    expect(await firing()).toEqual(['stuck_sessions']);
  });

  it('fires when p99 cost per session is over 5× the median', async () => {
    await sessions({ durationMs: 10_000, costMicros: 60_000 });
    await evaluator().evaluate();
    expect(await firing()).toEqual(['session_cost']);
  });

  it('stays quiet for a uniform population, and below the minimum number of sessions', async () => {
    await sessions(undefined);
    await recorder.turnEnded('ses_slow', now - 20_000, now, 20_000);
    await evaluator().evaluate();
    expect(await firing()).toEqual([]);
  });

  it('measures a session from its first turn accepted to its last turn ended', async () => {
    await recorder.turnEnded('ses_long', now - 5 * MINUTE, now - 4 * MINUTE, 1_000);
    await recorder.turnEnded('ses_long', now - 10_000, now, 1_000);
    const reader = new MetricsReader(redis, prefix, { fineBucketMs: MINUTE });
    const samples = await reader.sessionSamples(HOUR, now);
    expect(samples.durations).toEqual({ count: 1, p50: 5 * MINUTE, p99: 5 * MINUTE });
    expect(samples.costs).toEqual({ count: 1, p50: 2_000, p99: 2_000 });
  });
});

describe('injection rate', () => {
  async function history(perHour: number) {
    for (let hour = 1; hour <= 23; hour++) {
      for (let detection = 0; detection < perHour; detection++)
        await recorder.injectionDetected(now - hour * HOUR);
    }
  }

  it('fires when the last 5 minutes hold over 3× the baseline of the last 24 hours', async () => {
    await history(1);
    for (let detection = 0; detection < 3; detection++) await recorder.injectionDetected(now);
    await evaluator().evaluate();
    expect(await firing()).toEqual(['injection_rate']);
  });

  it('stays quiet when the same detections are ordinary for this platform', async () => {
    await history(30);
    for (let detection = 0; detection < 3; detection++) await recorder.injectionDetected(now);
    await evaluator().evaluate();
    expect(await firing()).toEqual([]);
  });
});

describe('several API replicas', () => {
  it('announce each change once, whichever evaluates first', async () => {
    for (let call = 0; call < 10; call++) await recorder.toolCall('get_order_status', true, now);
    const replicas = [
      evaluator({ webhook: true }),
      evaluator({ webhook: true }),
      evaluator({ webhook: true }),
    ];
    const changes = await Promise.all(replicas.map((replica) => replica.evaluate()));
    expect(changes.flat().map((alert) => alert.id)).toEqual(['tool_error_rate:get_order_status']);
    expect(hooks).toHaveLength(1);
  });
});
