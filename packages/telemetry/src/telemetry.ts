import { closeRedis, createCommandConnection, envInt, loadEnv } from '@agentops/core';
import { DiagLogLevel, diag } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { AlwaysOnSampler, BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace';
import type { Logger } from 'pino';
import { z } from 'zod';
import { MetricsRecorder } from './metrics/metrics-recorder.ts';
import { SessionSpanWriter } from './session-trace-store.ts';
import { MetricsSpanProcessor, SessionContextProcessor, SessionSpanProcessor } from './span-processors.ts';

const optionalUrl = z.preprocess(
  (value) => (value === '' ? undefined : value),
  z.url({ message: 'must be a URL such as http://127.0.0.1:4318' }).optional(),
);

/** The settings every process reads for telemetry (README, "Operating it"). */
export const TelemetryEnv = z.object({
  /** OTLP/HTTP collector; the exporter appends `/v1/traces`. Unset: no export (the session traces still work). */
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl,
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: optionalUrl,
  OTEL_SERVICE_NAME: z.string().optional(),
  /** How long finished spans are batched before an OTLP export. */
  OTEL_BSP_SCHEDULE_DELAY: envInt(1_000, { min: 10, max: 60_000 }),
  /** The size of the fine buckets of the rolling metrics; the same in every process. */
  METRICS_BUCKET_SECONDS: envInt(60, { min: 1, max: 3_600 }),
});
export type TelemetryEnv = z.infer<typeof TelemetryEnv>;

/**
 * How long finished spans and metric additions wait to be written with the others of the moment:
 * a turn's spans end over a few milliseconds, and written one tick at a time they cost a turn
 * about thirty Redis commands and as many deflates (npm run bench). A trace appears this much
 * later; no metric changes (its buckets are a minute wide).
 */
const TELEMETRY_BATCH_MS = 50;

export interface TelemetryOptions {
  /** The process: `api`, `router`, `tool-worker`, `budget`. */
  service: string;
  redisUrl: string;
  prefix: string;
  sessionTtlSeconds: number;
  logger: Logger;
  env?: NodeJS.ProcessEnv;
}

export interface Telemetry {
  settings: TelemetryEnv;
  /** Waits until every finished span is in Redis (and handed to the exporter). */
  flush(): Promise<void>;
  /** Flushes spans (to Redis and the collector) and closes the telemetry connection. */
  shutdown(): Promise<void>;
}

/**
 * Starts OpenTelemetry for one process: spans go to the session traces and the metrics in Redis
 * always, and to an OTLP/HTTP collector when `OTEL_EXPORTER_OTLP_ENDPOINT` is set. Every span is
 * sampled: the session trace and the metrics must see every model and tool call, so sampling,
 * if wanted, belongs in the collector. Call it before the process creates its first span.
 */
export function startTelemetry(options: TelemetryOptions): Telemetry {
  const settings = loadEnv(TelemetryEnv, options.env ?? process.env);
  const warn = throttledWarning(options.logger);
  const redis = createCommandConnection(options.redisUrl, `${options.service}-telemetry`);
  redis.on('error', () => undefined); // reported through failed writes, not once per reconnect attempt
  const fineBucketMs = settings.METRICS_BUCKET_SECONDS * 1000;
  const processors: SpanProcessor[] = [
    new SessionContextProcessor(),
    new SessionSpanProcessor(
      new SessionSpanWriter(
        redis,
        options.prefix,
        options.sessionTtlSeconds,
        (error) => warn('session spans not stored', error),
        { flushDelayMs: TELEMETRY_BATCH_MS },
      ),
      options.service,
    ),
    new MetricsSpanProcessor(
      new MetricsRecorder(redis, options.prefix, { fineBucketMs, batchWindowMs: TELEMETRY_BATCH_MS }),
      (error) => warn('span metrics not recorded', error),
    ),
  ];
  const exporting = Boolean(
    settings.OTEL_EXPORTER_OTLP_ENDPOINT || settings.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT,
  );
  if (exporting) {
    processors.push(
      new BatchSpanProcessor({
        exporter: new OTLPTraceExporter(),
        scheduledDelayMillis: settings.OTEL_BSP_SCHEDULE_DELAY,
      }),
    );
  }
  diag.setLogger(
    {
      error: (message) => warn('opentelemetry', message),
      warn: (message) => warn('opentelemetry', message),
      info: () => undefined,
      debug: () => undefined,
      verbose: () => undefined,
    },
    { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
  );
  const sdk = new NodeSDK({
    serviceName: settings.OTEL_SERVICE_NAME ?? options.service,
    spanProcessors: processors,
    sampler: new AlwaysOnSampler(),
    // W3C trace context is what travels in job data (TraceCarrier); baggage is not used.
    textMapPropagator: new W3CTraceContextPropagator(),
    instrumentations: [],
    // Metrics come from Redis at /metrics and logs go through pino: no OTel metric or log export.
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
  options.logger.debug({ exporting }, 'telemetry started');
  return {
    settings,
    async flush() {
      await Promise.all(processors.map((processor) => processor.forceFlush()));
    },
    async shutdown() {
      await sdk.shutdown().catch((error: unknown) => warn('telemetry shutdown', error));
      await closeRedis(redis);
    },
  };
}

/** At most one warning per subject every 30 s: a Redis outage must not turn every span into a log line. */
function throttledWarning(logger: Logger) {
  const last = new Map<string, number>();
  return (subject: string, error: unknown) => {
    const now = Date.now();
    if (now - (last.get(subject) ?? 0) < 30_000) return;
    last.set(subject, now);
    logger.warn({ err: error, subject }, 'telemetry degraded');
  };
}
