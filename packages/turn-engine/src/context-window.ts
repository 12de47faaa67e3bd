import type { ModelSpec } from '@agentops/core';
import { countPromptTokens, type PromptMessage, type ToolDefinition } from '@agentops/llm';

export type FittedPrompt =
  | { fits: true; messages: PromptMessage[]; promptTokens: number; droppedMessages: number }
  | { fits: false; promptTokens: number };

/**
 * Makes a prompt fit the model's context window minus its output allowance, counted with the
 * tokenizer. The system prompt (with the summary) is never dropped; the oldest exchanges go
 * first, whole (from one user message to the next), so no tool call loses its result. When even
 * the system prompt and the latest exchange do not fit, the caller must refuse the step rather
 * than send a prompt the provider would reject or silently truncate.
 */
export function fitToContextWindow(
  model: ModelSpec,
  system: string,
  messages: PromptMessage[],
  tools: ToolDefinition[],
): FittedPrompt {
  const room = model.context_window - model.max_output_tokens;
  let kept = messages;
  let promptTokens = countPromptTokens(system, kept, tools);
  while (promptTokens > room) {
    const nextExchange = kept.findIndex((message, index) => index > 0 && message.role === 'user');
    if (nextExchange === -1) return { fits: false, promptTokens };
    kept = kept.slice(nextExchange);
    promptTokens = countPromptTokens(system, kept, tools);
  }
  return { fits: true, messages: kept, promptTokens, droppedMessages: messages.length - kept.length };
}
