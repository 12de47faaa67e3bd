import { z } from 'zod';

/** W3C trace context carried in job data so one trace follows a turn across queues. */
export const TraceCarrier = z.record(z.string(), z.string());

export const TurnJobData = z.object({
  sessionId: z.string(),
  turnId: z.string(),
  trace: TraceCarrier.optional(),
});
export type TurnJobData = z.infer<typeof TurnJobData>;

export const ToolJobData = z.object({
  sessionId: z.string(),
  turnId: z.string(),
  callId: z.string(),
  tool: z.string(),
  arguments: z.record(z.string(), z.unknown()),
  confirmationId: z.string().optional(),
  trace: TraceCarrier.optional(),
});
export type ToolJobData = z.infer<typeof ToolJobData>;
