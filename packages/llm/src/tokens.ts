import { countTokens as countO200k } from 'gpt-tokenizer';
import type { PromptMessage, ToolDefinition } from './provider.ts';

/** Texts whose counts are remembered; the oldest is forgotten first. */
const MEMO_ENTRIES = 4_096;
const memo = new Map<string, number>();

/**
 * Token counts from a real BPE tokenizer (o200k), not characters / 4. Providers bill with their
 * own tokenizers, so prompts are sized with a margin and costs are settled from reported usage.
 *
 * Remembered per text: every model step counts the same system prompt, tool definitions and
 * history again (the router to fit the context window, the sim to report usage), and BPE is the
 * costliest thing a turn does on the CPU.
 */
export function countTokens(text: string): number {
  if (text.length === 0) return 0;
  const known = memo.get(text);
  if (known !== undefined) return known;
  const count = countO200k(text);
  if (memo.size >= MEMO_ENTRIES) memo.delete(memo.keys().next().value as string);
  memo.set(text, count);
  return count;
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
