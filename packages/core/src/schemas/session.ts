import { z } from 'zod';

export const SessionStatus = z.enum(['active', 'escalated', 'closed']);
export type SessionStatus = z.infer<typeof SessionStatus>;

export const SessionMetadata = z.record(
  z.string().max(64),
  z.union([z.string().max(512), z.number(), z.boolean(), z.null()]),
);

export const SessionRecord = z.object({
  sessionId: z.string(),
  tenant: z.string(),
  userId: z.string(),
  agent: z.string(),
  status: SessionStatus,
  createdAt: z.string(),
  metadata: SessionMetadata,
  /** A running summary of the turns that were folded out of the prompt (token budget). */
  summary: z.string().optional(),
  /** How many history entries the summary covers, counted from the start. */
  summarizedCount: z.number().int().nonnegative().optional(),
  escalationId: z.string().optional(),
});
export type SessionRecord = z.infer<typeof SessionRecord>;
