import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { MetricsReader } from './metrics/metrics-reader.ts';
import { SERIES } from './metrics/series.ts';
import { type TracedJob, withJobSpan, withPublishSpan } from './queue-tracing.ts';
import { SessionTraceStore } from './session-trace-store.ts';
import { withSpan } from './spans.ts';
import { startTelemetry } from './telemetry.ts';

/** The real setup of a service (startTelemetry), its spans read back from Redis. */
const prefix = `test-tracing-${randomBytes(4).toString('hex')}`;
const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const redis = new Redis(redisUrl);
const telemetry = startTelemetry({
  service: 'unit',
  redisUrl,
  prefix,
  sessionTtlSeconds: 600,
  logger: pino({ level: 'silent' }),
  env: { METRICS_BUCKET_SECONDS: '1' },
});

afterAll(async () => {
  await telemetry.shutdown();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
  redis.disconnect();
});

function parked(name: string): Error {
  const error = new Error('parked');
  error.name = name;
  return error;
}

describe('trace context through a queue', () => {
  it("continues the publisher's trace in every run of the job, and keeps the session's spans", async () => {
    let data: Record<string, unknown> = {};
    await withSpan('POST /v1/sessions/:sessionId/turns', { 'session.id': 'ses_q', 'turn.id': 'turn_q' }, () =>
      withPublishSpan('turns', 'ses_q/turn_q', {}, async (trace) => {
        data = { sessionId: 'ses_q', turnId: 'turn_q', trace };
      }),
    );
    expect(data.trace).toEqual({ traceparent: expect.stringMatching(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/) });
    const enqueuedAt = Date.now() - 250;
    const job: TracedJob = {
      id: 'turn_q',
      name: 'ses_q/turn_q',
      queueName: 'turns',
      data,
      timestamp: enqueuedAt,
      processedOn: enqueuedAt + 200,
      attemptsStarted: 1,
      opts: {},
    };

    await withJobSpan(job, () =>
      withSpan(
        'llm.completion',
        { 'gen_ai.usage.input_tokens': 100, 'gen_ai.usage.output_tokens': 20 },
        async () => {},
      ),
    );
    await expect(
      withJobSpan({ ...job, attemptsStarted: 2 }, async () => {
        throw parked('WaitingChildrenError');
      }),
    ).rejects.toThrow('parked');
    await expect(
      withJobSpan({ ...job, attemptsStarted: 3 }, async () => {
        throw new Error('lost the lock on ops@example.com');
      }),
    ).rejects.toThrow();
    await telemetry.flush();

    const spans = await new SessionTraceStore(redis, prefix).spans('ses_q');
    const named = (name: string) => spans.filter((span) => span.name === name);
    const [request] = named('POST /v1/sessions/:sessionId/turns');
    const [publish] = named('turns publish');
    const runs = named('turns process');
    expect(new Set(spans.map((span) => span.traceId)).size).toBe(1);
    expect(publish).toMatchObject({ kind: 'producer', parentSpanId: request?.spanId, service: 'unit' });
    expect(runs).toHaveLength(3);
    for (const run of runs) {
      expect(run).toMatchObject({ kind: 'consumer', parentSpanId: publish?.spanId });
      expect(run.attributes).toMatchObject({
        'session.id': 'ses_q',
        'turn.id': 'turn_q',
        'messaging.destination.name': 'turns',
      });
    }
    // The wait for a worker is measured on the first run only; later runs waited for children.
    expect(runs.map((run) => run.attributes['messaging.bullmq.wait_ms'])).toEqual([
      200,
      undefined,
      undefined,
    ]);
    expect(runs.map((run) => run.attributes['messaging.bullmq.outcome'])).toEqual([
      'completed',
      'waiting_children',
      undefined,
    ]);
    expect(runs.map((run) => run.status)).toEqual(['unset', 'unset', 'error']);
    expect(runs[2]?.statusMessage).toBe('Error: lost the lock on [email]');

    // A span inside a run belongs to the session without being told.
    const [completion] = named('llm.completion');
    expect(completion).toMatchObject({ parentSpanId: runs[0]?.spanId });
    expect(completion?.attributes['session.id']).toBe('ses_q');

    // ...and is counted into the burn and the queue wait.
    const reader = new MetricsReader(redis, prefix, { fineBucketMs: 1_000 });
    expect(await reader.windowSum(SERIES.llmTokens, 60_000, Date.now())).toBe(120);
    expect((await reader.windowSums(SERIES.queueWaitMs, 60_000, Date.now())).get('turns')).toBe(200);
  });

  it('runs a job without a carrier in a trace of its own', async () => {
    const job: TracedJob = {
      name: 'ses_r/x',
      queueName: 'usage',
      data: { sessionId: 'ses_r', trace: 'not a carrier' },
      timestamp: Date.now(),
      attemptsStarted: 1,
      opts: {},
    };
    await expect(withJobSpan(job, async () => 'done')).resolves.toBe('done');
    await telemetry.flush();
    const [span] = await new SessionTraceStore(redis, prefix).spans('ses_r');
    expect(span).toMatchObject({ name: 'usage process', kind: 'consumer' });
    expect(span?.parentSpanId).toBeUndefined();
  });
});
