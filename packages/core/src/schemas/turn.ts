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

/** Where text that tried to steer the agent was found. */
export const InjectionSource = z.enum(['user', 'tool']);
export type InjectionSource = z.infer<typeof InjectionSource>;

/**
 * What the platform did about it: `logged` (a user's own message: recorded only), `marked` (the
 * model saw the output flagged as suspect), `stripped` (the instruction was cut out before the
 * model saw it), `blocked` (the output was withheld and the turn handed to a person).
 */
export const InjectionAction = z.enum(['logged', 'marked', 'stripped', 'blocked']);
export type InjectionAction = z.infer<typeof InjectionAction>;

/**
 * What an agent profile does with a tool output that the detector flags: show it to the model
 * marked as suspect, cut the instruction out, or withhold it and hand the turn to a person.
 */
export const InjectionPolicy = z.enum(['mark', 'strip', 'block']);
export type InjectionPolicy = z.infer<typeof InjectionPolicy>;

export const InjectionDetection = z.object({
  source: InjectionSource,
  /** The tool whose output carried the text, when `source` is `tool`. */
  tool: z.string().optional(),
  score: z.number().nonnegative(),
  /** The detector's rules that matched (internal: never shown to clients, so they are no oracle). */
  rules: z.array(z.string()),
  action: InjectionAction,
});
export type InjectionDetection = z.infer<typeof InjectionDetection>;

/** The security events of one turn (invariant 6 and the system-prompt leak filter). */
export const TurnSecurity = z.object({
  injections: z.array(InjectionDetection),
  /** Replies or tool arguments replaced by a refusal because they carried the system prompt or its canary. */
  promptLeaks: z.number().int().nonnegative(),
});
export type TurnSecurity = z.infer<typeof TurnSecurity>;

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
  security: TurnSecurity.optional(),
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
  /** Present when something in the turn tried to steer the agent or to extract its instructions. */
  security: z
    .object({
      injections: z.array(
        z.object({ source: InjectionSource, tool: z.string().optional(), action: InjectionAction }),
      ),
      promptLeaks: z.number(),
    })
    .optional(),
  createdAt: z.string(),
  endedAt: z.string().optional(),
});
export type PublicTurn = z.infer<typeof PublicTurn>;
