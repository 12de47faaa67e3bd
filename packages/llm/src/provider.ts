import type { ModelSpec, ToolCall } from '@agentops/core';

/** A tool as the model is told about it. */
export interface ToolDefinition {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
}

/** Provider-neutral prompt messages; each adapter maps them to its wire format. */
export type PromptMessage =
  | { role: 'user'; content: string }
  | { role: 'assistant'; content: string; toolCalls?: ToolCall[] }
  | { role: 'tool'; toolCallId: string; name: string; content: string };

export interface CompletionRequest {
  model: ModelSpec;
  system: string;
  messages: PromptMessage[];
  tools: ToolDefinition[];
  maxOutputTokens: number;
  signal?: AbortSignal;
}

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
}

export type StopReason = 'end' | 'tool_use' | 'max_tokens' | 'refusal' | 'other';

export interface Completion {
  text: string;
  toolCalls: ToolCall[];
  usage: TokenUsage;
  stopReason: StopReason;
  /** The provider's request id, used to settle a call's cost exactly once. */
  requestId?: string;
}

/** One interface because there are three kinds of provider (Anthropic, OpenAI-compatible, sim). */
export interface ModelProvider {
  complete(request: CompletionRequest): Promise<Completion>;
}
