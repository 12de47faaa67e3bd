import { countTokens as countO200k } from 'gpt-tokenizer';
import type { PromptMessage, ToolDefinition } from './provider.ts';

/**
 * Token counts from a real BPE tokenizer (o200k), not characters / 4. Providers bill with their
 * own tokenizers, so prompts are sized with a margin and costs are settled from reported usage.
 */
export function countTokens(text: string): number {
  return text.length === 0 ? 0 : countO200k(text);
}

/** Tokens a chat-format message costs beyond its content (role markers, separators). */
const MESSAGE_OVERHEAD_TOKENS = 4;

export function countMessageTokens(message: PromptMessage): number {
  switch (message.role) {
    case 'user':
      return MESSAGE_OVERHEAD_TOKENS + countTokens(message.content);
    case 'assistant':
      return (
        MESSAGE_OVERHEAD_TOKENS +
        countTokens(message.content) +
        (message.toolCalls ?? []).reduce(
          (sum, call) => sum + countTokens(call.name) + countTokens(JSON.stringify(call.arguments)) + 6,
          0,
        )
      );
    case 'tool':
      return MESSAGE_OVERHEAD_TOKENS + countTokens(message.content) + 6;
  }
}

export function countToolTokens(tools: ToolDefinition[]): number {
  return tools.length === 0 ? 0 : countTokens(JSON.stringify(tools)) + 10;
}

export function countPromptTokens(
  system: string,
  messages: PromptMessage[],
  tools: ToolDefinition[],
): number {
  return (
    MESSAGE_OVERHEAD_TOKENS +
    countTokens(system) +
    messages.reduce((sum, message) => sum + countMessageTokens(message), 0) +
    countToolTokens(tools)
  );
}
