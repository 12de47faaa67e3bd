import { TraceCarrier } from '@agentops/core';
import { type Attributes, context, propagation, ROOT_CONTEXT, SpanKind } from '@opentelemetry/api';
import { z } from 'zod';

export type TraceContextCarrier = z.infer<typeof TraceCarrier>;

import { ATTR } from './attributes.ts';
import { markFailed, tracer, withSpan } from './spans.ts';

/** The W3C trace context of the active span, to travel in a job's data (`traceparent`, `tracestate`). */
export function traceCarrier(): TraceContextCarrier {
  const carrier: TraceContextCarrier = {};
  propagation.inject(context.active(), carrier);
  return carrier;
}

/**
 * A `<queue> publish` producer span around adding a job; `add` receives the carrier to put into
 * the job's data as `trace`, so that the consumer's span continues this trace.
 */
export function withPublishSpan<T>(
  queue: string,
  jobName: string,
  attributes: Attributes,
  add: (trace: TraceContextCarrier) => Promise<T>,
): Promise<T> {
  return withSpan(
    `${queue} publish`,
    {
      [ATTR.messagingSystem]: 'bullmq',
      [ATTR.messagingOperation]: 'send',
      [ATTR.messagingDestination]: queue,
      [ATTR.messagingJobName]: jobName,
      ...attributes,
    },
    () => add(traceCarrier()),
    { kind: SpanKind.PRODUCER },
  );
}

/** The parts of a BullMQ job a consumer span reads. */
export interface TracedJob {
  id?: string | undefined;
  name: string;
  queueName: string;
  data: unknown;
  timestamp: number;
  processedOn?: number | undefined;
  attemptsStarted: number;
  opts: { delay?: number | undefined };
}

/** Read leniently: a job without (or with a broken) carrier still runs, in a trace of its own. */
const JobTraceFields = z.object({
  trace: TraceCarrier.optional().catch(undefined),
  sessionId: z.string().optional().catch(undefined),
  turnId: z.string().optional().catch(undefined),
});

/**
 * BullMQ's control-flow errors: the job was parked (delayed, waiting for children, rate limited),
 * not failed. Matched by name so that this package needs no BullMQ of its own.
 */
const PARKED: Record<string, string> = {
  DelayedError: 'delayed',
  WaitingChildrenError: 'waiting_children',
  WaitingError: 'waiting',
  RateLimitError: 'rate_limited',
};

/**
 * A `<queue> process` consumer span around one run of a job, child of the span that published it.
 * A job that runs several times (a turn resumed after its tool calls) gets one span per run, all
 * in the same trace. The wait in the queue is recorded on the first run only: later runs waited
 * for children or a backoff, not for a worker.
 */
export function withJobSpan<T>(job: TracedJob, process: () => Promise<T>): Promise<T> {
  const parsed = JobTraceFields.safeParse(job.data);
  const fields = parsed.success ? parsed.data : {};
  const parent = fields.trace ? propagation.extract(ROOT_CONTEXT, fields.trace) : ROOT_CONTEXT;
  const attributes: Attributes = {
    [ATTR.messagingSystem]: 'bullmq',
    [ATTR.messagingOperation]: 'process',
    [ATTR.messagingDestination]: job.queueName,
    [ATTR.messagingJobName]: job.name,
    [ATTR.messagingAttempt]: job.attemptsStarted,
  };
  if (job.id) attributes[ATTR.messagingMessageId] = job.id;
  if (fields.sessionId) attributes[ATTR.sessionId] = fields.sessionId;
  if (fields.turnId) attributes[ATTR.turnId] = fields.turnId;
  if (job.attemptsStarted <= 1) {
    const readyAt = job.timestamp + (job.opts.delay ?? 0);
    attributes[ATTR.messagingWaitMs] = Math.max(0, (job.processedOn ?? Date.now()) - readyAt);
  }
  return tracer().startActiveSpan(
    `${job.queueName} process`,
    { kind: SpanKind.CONSUMER, attributes },
    parent,
    async (span) => {
      try {
        const result = await process();
        span.setAttribute(ATTR.messagingOutcome, 'completed');
        return result;
      } catch (error) {
        const parked = error instanceof Error ? PARKED[error.name] : undefined;
        if (parked) span.setAttribute(ATTR.messagingOutcome, parked);
        else markFailed(span, error);
        throw error;
      } finally {
        span.end();
      }
    },
  );
}
