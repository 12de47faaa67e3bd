import {
  EscalationAction,
  EscalationRecord,
  EscalationStatus,
  PublicMessage,
  SessionStatus,
} from '@agentops/core';
import { z } from 'zod';

/** Request and response shapes of the support API (API.md, "Escalations"). */

const AgentName = z.string().trim().min(1).max(64);

/** `?status=` picks one list; without it, every status. `?limit=` caps the answer (oldest first). */
export const EscalationListQuery = z
  .object({
    status: EscalationStatus.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();

export const ClaimBody = z.object({ agentName: AgentName }).strict();

/** `agentName` is optional: when given it must be the name that claimed (agents may share a key). */
export const EscalationReplyBody = z
  .object({
    message: z
      .string()
      .refine((value) => value.trim().length > 0, 'must not be empty')
      .refine((value) => [...value].length <= 8_000, 'must be at most 8,000 characters'),
    agentName: AgentName.optional(),
  })
  .strict();

export const ResolveBody = z
  .object({
    action: EscalationAction,
    note: z.string().max(2_000).optional(),
    agentName: AgentName.optional(),
  })
  .strict();

/** The stored record as support sees it: without the claiming key's id, with the session's cost. */
export const EscalationView = EscalationRecord.omit({ claimedByKey: true }).extend({
  replies: z.number(),
  costUsd: z.number(),
  /** Only on `GET /v1/escalations/:id`. */
  sessionStatus: SessionStatus.optional(),
  /** Only on `GET /v1/escalations/:id`: the conversation, including what the user wrote while waiting. */
  messages: z.array(PublicMessage).optional(),
});
export type EscalationView = z.infer<typeof EscalationView>;

export const EscalationList = z.object({ escalations: z.array(EscalationView) });

export const EscalationReplyResult = z.object({
  escalationId: z.string(),
  sessionId: z.string(),
  message: PublicMessage,
});
