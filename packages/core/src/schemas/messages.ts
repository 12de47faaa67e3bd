import { z } from 'zod';
import { ToolResult } from './tool-result.ts';

export const ToolCall = z.object({
  id: z.string(),
  name: z.string(),
  arguments: z.record(z.string(), z.unknown()),
  /** Set when the model sent arguments that were not a JSON object; the call is answered with an error. */
  invalidArguments: z.string().optional(),
});
export type ToolCall = z.infer<typeof ToolCall>;

/**
 * One entry of a session's stored history. Tool calls and tool results are kept so that every
 * later prompt is valid for every provider: each assistant tool call is answered by exactly one
 * `tool` entry, even when the answer is "cancelled" or "declined".
 */
export const HistoryMessage = z.discriminatedUnion('role', [
  z.object({ role: z.literal('user'), content: z.string(), turnId: z.string(), at: z.string() }),
  z.object({
    role: z.literal('assistant'),
    content: z.string(),
    turnId: z.string(),
    at: z.string(),
    toolCalls: z.array(ToolCall).optional(),
  }),
  z.object({
    role: z.literal('tool'),
    turnId: z.string(),
    at: z.string(),
    toolCallId: z.string(),
    tool: z.string(),
    result: ToolResult,
  }),
  z.object({
    role: z.literal('agent'),
    content: z.string(),
    at: z.string(),
    agentName: z.string().optional(),
  }),
  z.object({ role: z.literal('notice'), content: z.string(), at: z.string(), turnId: z.string().optional() }),
]);
export type HistoryMessage = z.infer<typeof HistoryMessage>;

/** What a client sees of the history (API.md): tool traffic stays internal. */
export const PublicMessage = z.object({
  role: z.enum(['user', 'assistant', 'agent', 'notice']),
  content: z.string(),
  turnId: z.string().optional(),
  at: z.string(),
});
export type PublicMessage = z.infer<typeof PublicMessage>;

export function toPublicMessages(history: HistoryMessage[]): PublicMessage[] {
  const visible: PublicMessage[] = [];
  for (const message of history) {
    if (message.role === 'tool') continue;
    if (message.role === 'assistant' && message.content.trim() === '') continue;
    const turnId = 'turnId' in message ? message.turnId : undefined;
    visible.push({
      role: message.role,
      content: message.content,
      at: message.at,
      ...(turnId ? { turnId } : {}),
    });
  }
  return visible;
}
