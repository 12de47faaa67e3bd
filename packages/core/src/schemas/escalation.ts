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
