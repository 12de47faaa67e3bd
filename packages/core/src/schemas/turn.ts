import { z } from 'zod';
import { ToolCall } from './messages.ts';

export const TurnStatus = z.enum([
  'queued',
  'running',
  'waiting_tool',
  'waiting_confirmation',
  'completed',
  'escalated',
  'failed',
]);
export type TurnStatus = z.infer<typeof TurnStatus>;

export const TERMINAL_TURN_STATUSES: readonly TurnStatus[] = ['completed', 'escalated', 'failed'];

export function isTerminal(status: TurnStatus): boolean {
  return TERMINAL_TURN_STATUSES.includes(status);
}

export const Usage = z.object({
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  costMicros: z.number().int().nonnegative(),
});
export type Usage = z.infer<typeof Usage>;

export const ToolCallSummary = z.object({
  callId: z.string(),
  tool: z.string(),
  status: z.enum(['success', 'error']),
  errorType: z.string().optional(),
  attempts: z.number().int().nonnegative(),
  latencyMs: z.number().nonnegative(),
});
export type ToolCallSummary = z.infer<typeof ToolCallSummary>;

export const RoutingDecision = z.object({
  step: z.number().int(),
  model: z.string(),
  tier: z.string(),
  reason: z.string(),
  /** Set when the step's output was unusable (refusal, unknown tool, invalid arguments). */
  failure: z.string().optional(),
});
export type RoutingDecision = z.infer<typeof RoutingDecision>;

/** A tool call the turn has handed to a tool queue and is waiting for. */
export const PendingToolCall = z.object({
  call: ToolCall,
  jobId: z.string(),
  queue: z.string(),
  confirmationId: z.string().optional(),
});
export type PendingToolCall = z.infer<typeof PendingToolCall>;

export const TurnConfirmation = z.object({
  confirmationId: z.string(),
  tool: z.string(),
  summary: z.string(),
  expiresAt: z.string(),
});
export type TurnConfirmation = z.infer<typeof TurnConfirmation>;

/** A side effect the model asked for, waiting for a person's decision. */
export const AwaitedConfirmation = z.object({
  call: ToolCall,
  confirmationId: z.string(),
  summary: z.string(),
  expiresAtMs: z.number(),
});
export type AwaitedConfirmation = z.infer<typeof AwaitedConfirmation>;

/** The stored turn. `toPublicTurn` gives the API.md `Turn`. */
export const TurnRecord = z.object({
  turnId: z.string(),
  sessionId: z.string(),
  tenant: z.string(),
  status: TurnStatus,
  message: z.string(),
  createdAt: z.string(),
  startedAt: z.string().optional(),
  endedAt: z.string().optional(),
  reply: z.string().optional(),
  model: z.string().optional(),
  step: z.number().int().nonnegative(),
  usage: Usage,
  toolCalls: z.array(ToolCallSummary),
  routing: z.array(RoutingDecision),
  pending: z.array(PendingToolCall).optional(),
  awaiting: AwaitedConfirmation.optional(),
  confirmation: TurnConfirmation.optional(),
  escalationId: z.string().optional(),
  error: z.object({ type: z.string(), message: z.string() }).optional(),
});
export type TurnRecord = z.infer<typeof TurnRecord>;

export const PublicTurn = z.object({
  turnId: z.string(),
  sessionId: z.string(),
  status: TurnStatus,
  reply: z.string().optional(),
  model: z.string().optional(),
  usage: z.object({ inputTokens: z.number(), outputTokens: z.number(), costUsd: z.number() }).optional(),
  toolCalls: z
    .array(
      z.object({
        tool: z.string(),
        status: z.string(),
        errorType: z.string().optional(),
        attempts: z.number(),
        latencyMs: z.number(),
      }),
    )
    .optional(),
  confirmation: z.object({ confirmationId: z.string(), tool: z.string(), summary: z.string() }).optional(),
  escalationId: z.string().optional(),
  error: z.object({ type: z.string(), message: z.string() }).optional(),
  createdAt: z.string(),
  endedAt: z.string().optional(),
});
export type PublicTurn = z.infer<typeof PublicTurn>;
