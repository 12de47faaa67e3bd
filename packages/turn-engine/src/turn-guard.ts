import type { SessionRecord, ToolCall, ToolResult, TurnRecord } from '@agentops/core';

/**
 * The security hooks the engine calls at the points where text crosses a trust boundary
 * (implemented by `AgentGuard` of @agentops/guard, which records what it finds on the turn):
 * the system prompt is built, a tool's output is about to be stored for the model, and a
 * model's completion is about to become a reply or a tool call.
 */
export interface TurnGuard {
  /** The agent's system prompt with the session's canary planted in it. */
  systemPrompt(session: SessionRecord, prompt: string): string;
  /** A tool result as the agent's injection policy lets the model see it; `blocked` escalates the turn. */
  screenToolResult(
    turn: TurnRecord,
    session: SessionRecord,
    tool: string,
    result: ToolResult,
  ): Promise<{ result: ToolResult; blocked: boolean }>;
  /** The refusal to show instead of a completion that leaks the system prompt, or undefined. */
  screenCompletion(
    turn: TurnRecord,
    session: SessionRecord,
    completion: { text: string; toolCalls: readonly ToolCall[] },
  ): Promise<string | undefined>;
}
