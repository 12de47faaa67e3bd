import { z } from 'zod';

export const EscalationReason = z.enum([
  'budget',
  'tool_failures',
  'user_request',
  'injection',
  'step_limit',
  'policy',
]);
export type EscalationReason = z.infer<typeof EscalationReason>;

export const EscalationStatus = z.enum(['waiting', 'claimed', 'resolved']);
export type EscalationStatus = z.infer<typeof EscalationStatus>;

/** What a producer (router, budget service) asks the desk to open. */
export const EscalationRequest = z.object({
  escalationId: z.string(),
  sessionId: z.string(),
  tenant: z.string(),
  userId: z.string(),
  turnId: z.string().optional(),
  reason: EscalationReason,
  detail: z.string(),
  createdAt: z.string(),
});
export type EscalationRequest = z.infer<typeof EscalationRequest>;

/** How a support agent ends an escalation: the bot answers again, or the conversation ends. */
export const EscalationAction = z.enum(['close', 'return_to_bot']);
export type EscalationAction = z.infer<typeof EscalationAction>;

/** An escalation as the desk keeps it (one Redis hash), read back through this schema. */
export const EscalationRecord = EscalationRequest.extend({
  status: EscalationStatus,
  updatedAt: z.string(),
  claimedBy: z.string().optional(),
  /** The non-secret id of the API key that claimed it: only that key (or ops) may reply and resolve. */
  claimedByKey: z.string().optional(),
  claimedAt: z.string().optional(),
  replies: z.coerce.number().int().nonnegative().default(0),
  resolution: EscalationAction.optional(),
  note: z.string().optional(),
  resolvedBy: z.string().optional(),
  resolvedAt: z.string().optional(),
});
export type EscalationRecord = z.infer<typeof EscalationRecord>;
