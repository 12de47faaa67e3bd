import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '@agentops/launcher';
import { MetricsRecorder } from '@agentops/telemetry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OtlpReceiver, type ReceivedSpan } from './otlp-receiver.ts';
import { startPlatform, type TestPlatform } from './platform.ts';

/**
 * Traces, the session trace tree, metrics, alerts and Bull Board, against the real services with
 * a local OTLP/HTTP receiver and alert webhook. The alert thresholds are tightened (alerts file
 * below) so that a handful of real turns, with 1-second metric buckets, drives every rule.
 */
const ALERTS_YAML = `
evaluation_interval_seconds: 0.3
windows: { tool_errors_seconds: 120, sessions_seconds: 600, queue_wait_seconds: 120, injections_seconds: 60, injection_baseline_hours: 24 }
daily_budget: { usd: 0.002, tokens: 1000000000 }
rules:
  tool_error_rate: { threshold_percent: 50, min_calls: 2 }
  budget_burn: { fraction: 0.5, before_hour_utc: 24 }
  stuck_sessions: { factor: 5, min_sessions: 5 }
  injection_rate: { factor: 3, min_detections: 3 }
  session_cost: { factor: 4, min_sessions: 5 }
`;

const SPAN_KIND = { internal: 1, server: 2, producer: 4, consumer: 5 } as const;

let platform: TestPlatform;
let receiver: OtlpReceiver;
let receiverUrl: string;

beforeAll(async () => {
  receiver = new OtlpReceiver();
  receiverUrl = await receiver.start();
  const dir = mkdtempSync(join(tmpdir(), 'agentops-alerts-'));
  writeFileSync(join(dir, 'alerts.yaml'), ALERTS_YAML);
  platform = await startPlatform({
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiverUrl,
      OTEL_BSP_SCHEDULE_DELAY: '100',
      METRICS_BUCKET_SECONDS: '1',
      ALERTS_FILE: join(dir, 'alerts.yaml'),
      ALERT_WEBHOOK_URL: `${receiverUrl}/alert-hook`,
    },
  });
});
afterAll(async () => {
  await platform?.stop();
  await receiver?.stop();
});

async function eventually<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const get = (path: string, key?: string, headers: Record<string, string> = {}) =>
  fetch(`${platform.apiUrl}${path}`, {
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
  });

interface TraceBody {
  traceId: string | null;
  turns: { turnId: string; traceId: string }[];
  spans: {
    name: string;
    startAt: string;
    durationMs: number;
    status: string;
    attributes: Record<string, unknown>;
  }[];
  text: string;
}

async function sessionTrace(sessionId: string, until: (trace: TraceBody) => boolean): Promise<TraceBody> {
  return eventually(async () => {
    const response = await get(`/v1/sessions/${sessionId}/trace`, platform.keys.client?.key);
    const body = (await response.json()) as TraceBody;
    return until(body) ? body : undefined;
  }, `the trace of ${sessionId}`);
}

let firstSession = '';
let firstTraceId = '';

describe('one trace follows a turn through every hop', () => {
  it('exports api → router → tool → router as one trace over OTLP/HTTP, with the GenAI and tool attributes', async () => {
    const session = await platform.client.createSession({ userId: 'trace-alice' });
    firstSession = session.sessionId;
    const { body: turn } = await platform.client.postTurn(session.sessionId, 'Where is my order A1001?', {
      wait: 20,
    });
    expect(turn.status).toBe('completed');

    const named = (spans: ReceivedSpan[], name: string) => spans.filter((span) => span.name === name);
    const spans = await eventually(async () => {
      const root = receiver.spans.find(
        (span) => span.kind === SPAN_KIND.server && span.attributes['turn.id'] === turn.turnId,
      );
      const trace = root ? receiver.trace(root.traceId) : [];
      const complete =
        named(trace, 'turn.completed').length === 1 &&
        named(trace, 'turns process').length === 2 &&
        named(trace, 'tool.get_order_status').length === 1 &&
        root !== undefined;
      return complete ? trace : undefined;
    }, 'the exported trace');
    const byId = new Map(spans.map((span) => [span.spanId, span]));
    const parentOf = (span: ReceivedSpan) => (span.parentSpanId ? byId.get(span.parentSpanId) : undefined);
    const one = (name: string) => {
      const found = named(spans, name);
      expect(found, name).toHaveLength(1);
      return found[0] as ReceivedSpan;
    };
    firstTraceId = spans[0]?.traceId ?? '';

    // api: the request, and the turn handed to the queue
    const request = one('POST /v1/sessions/:sessionId/turns');
    expect(request).toMatchObject({ service: 'api', kind: SPAN_KIND.server });
    expect(request.attributes).toMatchObject({
      'session.id': session.sessionId,
      'http.response.status_code': 200,
    });
    const publish = one('turns publish');
    expect(publish).toMatchObject({ service: 'api', kind: SPAN_KIND.producer, parentSpanId: request.spanId });

    // router: the turn's first run calls the model and hands the tool call to its queue
    const [firstRun, secondRun] = named(spans, 'turns process').sort((a, b) => Number(a.startNs - b.startNs));
    for (const run of [firstRun, secondRun]) {
      expect(run).toMatchObject({
        service: 'router',
        kind: SPAN_KIND.consumer,
        parentSpanId: publish.spanId,
      });
    }
    const toolPublish = one('tool.get_order_status publish');
    expect(toolPublish).toMatchObject({ service: 'router', parentSpanId: firstRun?.spanId });

    // tool worker: the job, and the call under its contract
    const toolProcess = one('tool.get_order_status process');
    expect(toolProcess).toMatchObject({ service: 'tool-worker', parentSpanId: toolPublish.spanId });
    const toolCall = one('tool.get_order_status');
    expect(toolCall).toMatchObject({ service: 'tool-worker', parentSpanId: toolProcess.spanId });
    expect(toolCall.attributes).toMatchObject({
      'tool.name': 'get_order_status',
      'tool.status': 'success',
      'tool.retry_safe': false,
      'tool.attempt': 1,
      'tool.retry_scheduled': false,
      'http.response.status_code': 200,
      'session.id': session.sessionId,
      'turn.id': turn.turnId,
    });
    expect(toolCall.attributes['tool.latency_ms']).toEqual(expect.any(Number));

    // router again: the turn goes on after the tool, with the second model call
    expect(secondRun!.startNs).toBeGreaterThanOrEqual(toolCall.endNs);
    const completions = named(spans, 'llm.completion');
    expect(completions.map((span) => parentOf(span)?.spanId).sort()).toEqual(
      [firstRun?.spanId, secondRun?.spanId].sort(),
    );
    for (const completion of completions) {
      expect(completion.service).toBe('router');
      expect(completion.attributes).toMatchObject({
        'gen_ai.operation.name': 'chat',
        'gen_ai.system': 'sim',
        'gen_ai.request.model': turn.model,
        'session.id': session.sessionId,
      });
      expect(completion.attributes['gen_ai.usage.input_tokens']).toBeGreaterThan(0);
      expect(completion.attributes['gen_ai.usage.output_tokens']).toBeGreaterThan(0);
      expect(completion.attributes['llm.cost_usd']).toBeGreaterThan(0);
      expect(completion.attributes['llm.latency_ms']).toBeGreaterThanOrEqual(0);
    }
    const ended = one('turn.completed');
    expect(parentOf(ended)?.spanId).toBe(secondRun?.spanId);
    expect(ended.attributes['turn.cost_usd']).toBeCloseTo(turn.usage?.costUsd ?? 0, 6);
    expect(new Set(spans.map((span) => span.traceId))).toEqual(new Set([request.traceId]));
  });

  it('writes the trace and span ids, the session and the turn on every log line of the turn', async () => {
    const toolLine = platform.logs.find(
      (entry) => entry.line.msg === 'tool call finished' && entry.line.session_id === firstSession,
    )?.line;
    expect(toolLine).toMatchObject({
      trace_id: firstTraceId,
      span_id: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
    const finished = platform.logs.find(
      (entry) => entry.line.msg === 'turn finished' && entry.line.sessionId === firstSession,
    )?.line;
    expect(finished).toMatchObject({ trace_id: firstTraceId, turnId: expect.stringMatching(/^turn_/) });
  });
});

describe('the session trace', () => {
  it('serves the tree of API.md to the session owner, and npm run trace prints the same tree', async () => {
    const trace = await sessionTrace(firstSession, (body) => body.text.includes('turn.completed'));
    expect(trace.traceId).toBe(firstTraceId);
    const lines = trace.text.split('\n');
    expect(lines[0]).toBe(`Trace: ${firstSession}`);
    expect(lines[1]).toMatch(new RegExp(`^└── turn turn_\\S+ \\(trace ${firstTraceId}\\)$`));
    const steps = lines.slice(2).map((line) => line.replace(/^ {4}[├└]── /, ''));
    expect(steps).toEqual([
      expect.stringMatching(/^budget\.reserve \[\$[\d.]+ held\]$/),
      expect.stringMatching(/^llm\.completion \[\d+ms, [\d,]+ tokens, \$[\d.]+\] sim-\w+$/),
      expect.stringMatching(/^tool\.get_order_status \[[\d,]+ms, success\]$/),
      expect.stringMatching(/^budget\.reserve \[\$[\d.]+ held\]$/),
      expect.stringMatching(/^llm\.completion \[\d+ms, [\d,]+ tokens, \$[\d.]+\] sim-\w+$/),
      expect.stringMatching(/^turn\.completed \[[\d,]+ tokens total, \$[\d.]+ total\]$/),
    ]);
    expect(trace.spans.map((span) => span.name)).toEqual(
      expect.arrayContaining([
        'POST /v1/sessions/:sessionId/turns',
        'turns process',
        'tool.get_order_status process',
      ]),
    );

    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['packages/telemetry/src/trace-cli.ts', firstSession],
      {
        cwd: REPO_ROOT,
        env: { ...process.env, REDIS_URL: platform.redisUrl, REDIS_PREFIX: platform.prefix },
      },
    );
    expect(stdout.trimEnd()).toBe(trace.text);
  });

  it('is not found for another tenant, and needs a key', async () => {
    const other = await get(`/v1/sessions/${firstSession}/trace`, platform.keys.otherTenant?.key);
    expect(other.status).toBe(404);
    expect(other.headers.get('content-type')).toMatch(/problem\+json/);
    expect((await get(`/v1/sessions/${firstSession}/trace`)).status).toBe(401);
  });
});

describe('alerts, driven by real traffic', () => {
  it('fires every rule, lists it at /v1/alerts, logs it and posts it to the webhook once', async () => {
    // Cheap, quick sessions: the median of duration and cost.
    for (const user of ['quick-1', 'quick-2', 'quick-3']) {
      const session = await platform.client.createSession({ userId: user });
      await platform.client.postTurn(session.sessionId, 'Hello, what can you do?', { wait: 20 });
    }
    // One session far more expensive than the median: seven turns.
    const chatty = await platform.client.createSession({ userId: 'chatty' });
    for (let turn = 0; turn < 7; turn++) {
      await platform.client.postTurn(chatty.sessionId, 'Hello, what can you do?', { wait: 20 });
    }
    // The incident: a tool that times out until its breaker opens; the session takes seconds.
    const incident = await platform.client.createSession({ userId: 'night-shift' });
    const { body: escalated } = await platform.client.postTurn(
      incident.sessionId,
      'Where is my order T1001?',
      {
        wait: 30,
      },
    );
    expect(escalated.status).toBe('escalated');
    // Injections: no detector ships yet; a detector feeds the same counters through this recorder.
    const recorder = new MetricsRecorder(platform.redis, platform.prefix, { fineBucketMs: 1_000 });
    for (let i = 0; i < 4; i++) await recorder.injectionDetected(Date.now());

    const rules = ['tool_error_rate', 'budget_burn', 'stuck_sessions', 'injection_rate', 'session_cost'];
    const alerts = await eventually(async () => {
      const response = await get('/v1/alerts?state=firing', platform.keys.ops?.key);
      const body = (await response.json()) as { alerts: { id: string; rule: string; summary: string }[] };
      const firing = new Set(body.alerts.map((alert) => alert.rule));
      return rules.every((rule) => firing.has(rule)) ? body.alerts : undefined;
    }, 'every rule to fire');
    expect(alerts.map((alert) => alert.id)).toEqual(
      expect.arrayContaining(['tool_error_rate:get_order_status', 'budget_burn:usd', 'stuck_sessions']),
    );
    expect(alerts.find((alert) => alert.id === 'tool_error_rate:get_order_status')?.summary).toMatch(
      /get_order_status failed \d+ of \d+ calls/,
    );

    const hooks = await eventually(async () => {
      const posted = receiver.posts.filter((post) => post.path === '/alert-hook');
      return posted.length >= rules.length ? posted : undefined;
    }, 'the webhook posts');
    const firingIds = hooks
      .map((hook) => hook.body as { status: string; alert: { id: string } })
      .filter((hook) => hook.status === 'firing')
      .map((hook) => hook.alert.id);
    expect(new Set(firingIds).size).toBe(firingIds.length); // each change is posted once
    expect(firingIds).toEqual(expect.arrayContaining(alerts.map((alert) => alert.id)));
    const logged = platform.logs
      .filter((entry) => entry.line.msg === 'alert firing')
      .map((entry) => entry.line.rule);
    expect(new Set(logged)).toEqual(new Set(rules));
  });

  it('refuses the alert list to keys that are not ops', async () => {
    expect((await get('/v1/alerts', platform.keys.client?.key)).status).toBe(403);
    expect((await get('/v1/alerts', platform.keys.support?.key)).status).toBe(403);
    expect((await get('/v1/alerts?state=everything', platform.keys.ops?.key)).status).toBe(400);
  });
});

describe('metrics', () => {
  it('serves Prometheus text to an ops key only', async () => {
    expect((await get('/metrics')).status).toBe(401);
    expect((await get('/metrics', platform.keys.client?.key)).status).toBe(403);
    const response = await get('/metrics', platform.keys.ops?.key);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    const value = (series: string) => {
      const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
      return line === undefined ? undefined : Number(line.slice(series.length + 1));
    };
    expect(value('agentops_tool_error_ratio{tool="get_order_status"}')).toBeGreaterThan(0.5);
    expect(value('agentops_llm_cost_usd_today')).toBeGreaterThan(0);
    expect(value('agentops_budget_burn_ratio{unit="usd"}')).toBeGreaterThan(0.5);
    expect(value('agentops_sessions_sampled')).toBeGreaterThanOrEqual(6);
    expect(value('agentops_session_duration_p99_seconds')).toBeGreaterThan(
      5 * (value('agentops_session_duration_p50_seconds') ?? 0),
    );
    expect(value('agentops_injection_detections_total')).toBe(4);
    expect(value('agentops_queue_jobs_started_window{queue="turns"}')).toBeGreaterThan(0);
    expect(value('agentops_queue_wait_seconds_mean{queue="tool.get_order_status"}')).toBeGreaterThanOrEqual(
      0,
    );
    expect(value('agentops_breaker_state{scope="tool",key="get_order_status"}')).toBe(2);
    expect(value('agentops_escalations_waiting')).toBeGreaterThanOrEqual(1);
    expect(
      value('agentops_alert_firing{alert="stuck_sessions",rule="stuck_sessions",severity="warning"}'),
    ).toBe(1);
  });
});

describe('Bull Board', () => {
  const basic = (password: string) => ({
    authorization: `Basic ${Buffer.from(`ops:${password}`).toString('base64')}`,
  });

  it('asks for HTTP Basic auth and accepts only an ops key as the password', async () => {
    const bare = await get('/admin/queues');
    expect(bare.status).toBe(401);
    expect(bare.headers.get('www-authenticate')).toMatch(/^Basic /);
    expect((await get('/admin/queues', undefined, basic(platform.keys.client?.key ?? ''))).status).toBe(401);
    expect((await get('/admin/queues', undefined, basic('not-a-key-at-all'))).status).toBe(401);
    const page = await get('/admin/queues', undefined, basic(platform.keys.ops?.key ?? ''));
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<html/i);
  });

  it('lists every queue, with jobs named after their session', async () => {
    const auth = basic(platform.keys.ops?.key ?? '');
    const response = await get(
      '/admin/queues/api/queues?activeQueue=turns&status=completed',
      undefined,
      auth,
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as { queues: { name: string; jobs: { name: string }[] }[] };
    expect(body.queues.map((queue) => queue.name).sort()).toEqual(
      [
        'escalations',
        'tool.get_order_status',
        'tool.issue_refund',
        'tool.search_docs',
        'tool.send_email',
        'turns',
        'usage',
      ].sort(),
    );
    const turnJobs = body.queues.find((queue) => queue.name === 'turns')?.jobs ?? [];
    expect(turnJobs.length).toBeGreaterThan(0);
    for (const job of turnJobs) expect(job.name).toMatch(/^ses_[\w-]+\/turn_[\w-]+$/);
  });

  it('refuses a change that comes from another site', async () => {
    const response = await fetch(`${platform.apiUrl}/admin/queues/api/queues/turns/pause`, {
      method: 'PUT',
      headers: {
        ...basic(platform.keys.ops?.key ?? ''),
        origin: 'https://evil.example',
        'sec-fetch-site': 'cross-site',
      },
    });
    expect(response.status).toBe(403);
  });
});
