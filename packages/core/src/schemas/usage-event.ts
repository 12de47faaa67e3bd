import { z } from 'zod';

/** One model call's usage; the budget service counts each event id exactly once. */
export const UsageEvent = z.object({
  eventId: z.string(),
  sessionId: z.string(),
  turnId: z.string(),
  tenant: z.string(),
  userId: z.string(),
  model: z.string(),
  provider: z.string(),
  purpose: z.enum(['turn', 'summary']),
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  costMicros: z.number().int().nonnegative(),
  latencyMs: z.number().nonnegative(),
  at: z.string(),
});
export type UsageEvent = z.infer<typeof UsageEvent>;
