import { z } from 'zod';
import { EscalationReason } from './escalation.ts';
import { TurnStatus } from './turn.ts';

/** What `GET /v1/sessions/:id/events` streams; also what wakes `?wait=` requests. */
export const SessionEvent = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('turn.status'),
    turnId: z.string(),
    status: TurnStatus,
    reply: z.string().optional(),
    at: z.string(),
  }),
  z.object({
    type: z.literal('message'),
    role: z.enum(['assistant', 'agent', 'notice']),
    content: z.string(),
    turnId: z.string().optional(),
    at: z.string(),
  }),
  z.object({
    type: z.literal('confirmation.required'),
    turnId: z.string(),
    confirmationId: z.string(),
    tool: z.string(),
    summary: z.string(),
    expiresAt: z.string(),
    at: z.string(),
  }),
  z.object({
    type: z.literal('session.escalated'),
    escalationId: z.string(),
    reason: EscalationReason,
    at: z.string(),
  }),
  z.object({
    type: z.literal('session.status'),
    status: z.enum(['active', 'escalated', 'closed']),
    at: z.string(),
  }),
]);
export type SessionEvent = z.infer<typeof SessionEvent>;
