import { PublicMessage, PublicTurn, SessionMetadata, SessionStatus } from '@agentops/core';
import { AlertRecord, StoredSpan } from '@agentops/telemetry';
import { z } from 'zod';

/** Request and response shapes of API.md: handlers validate with them and /openapi.json is made of them. */

export const CreateSessionBody = z
  .object({
    userId: z.string().trim().min(1).max(128),
    agent: z.string().min(1).max(64).optional(),
    metadata: SessionMetadata.refine(
      (value) => Object.keys(value).length <= 32,
      'at most 32 entries',
    ).optional(),
  })
  .strict();

export const PostTurnBody = z
  .object({
    message: z
      .string()
      .refine((value) => value.trim().length > 0, 'must not be empty')
      .refine((value) => [...value].length <= 8_000, 'must be at most 8,000 characters'),
  })
  .strict();

export const ConfirmationBody = z.object({ approve: z.boolean() }).strict();

/** `?wait=S`: how long to hold the request for the turn to end, 0 to 30 seconds. Nothing else. */
export const WaitQuery = z
  .object({
    wait: z.coerce.number().min(0).max(30).optional(),
  })
  .strict();

export const CreatedSession = z.object({
  sessionId: z.string(),
  userId: z.string(),
  agent: z.string(),
  status: SessionStatus,
  createdAt: z.string(),
});

export const SessionView = z.object({
  sessionId: z.string(),
  userId: z.string(),
  agent: z.string(),
  status: SessionStatus,
  createdAt: z.string(),
  metadata: SessionMetadata,
  messages: z.array(PublicMessage),
  usage: z.object({
    inputTokens: z.number(),
    outputTokens: z.number(),
    costUsd: z.number(),
    modelCalls: z.number(),
  }),
  budget: z.object({
    tokensUsed: z.number(),
    tokenLimit: z.number(),
    costUsd: z.number(),
    costLimitUsd: z.number(),
  }),
  escalationId: z.string().optional(),
});

export const ProblemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number(),
  detail: z.string(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

/** `GET /v1/sessions/:id/trace`: the session's spans and the tree text of API.md. */
export const SessionTraceView = z.object({
  traceId: z.string().nullable(),
  turns: z.array(z.object({ turnId: z.string(), traceId: z.string() })),
  spans: z.array(StoredSpan.omit({ startMs: true })),
  text: z.string(),
});

export const AlertsQuery = z.object({ state: z.enum(['firing', 'resolved']).optional() }).strict();

export const AlertList = z.object({ alerts: z.array(AlertRecord) });

export { PublicTurn };
