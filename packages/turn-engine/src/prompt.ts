import type { HistoryMessage, ToolResult } from '@agentops/core';
import type { PromptMessage, ToolDefinition } from '@agentops/llm';

/**
 * How a tool result is shown to the model. Injected (the router passes the guard's, which
 * delimits and datamarks it) because the way untrusted output is presented is a security
 * boundary (invariant 6).
 */
export type ToolResultFormatter = (tool: string, result: ToolResult) => string;

/** Maps the stored history to provider-neutral prompt messages. */
export function historyToPrompt(
  history: HistoryMessage[],
  formatToolResult: ToolResultFormatter,
): PromptMessage[] {
  const messages: PromptMessage[] = [];
  for (const entry of history) {
    switch (entry.role) {
      case 'user':
        messages.push({ role: 'user', content: entry.content });
        break;
      case 'assistant':
        messages.push({
          role: 'assistant',
          content: entry.content,
          ...(entry.toolCalls?.length ? { toolCalls: entry.toolCalls } : {}),
        });
        break;
      case 'tool':
        messages.push({
          role: 'tool',
          toolCallId: entry.toolCallId,
          name: entry.tool,
          content: formatToolResult(entry.tool, entry.result),
        });
        break;
      case 'agent':
        // A support agent's words are part of the conversation the bot resumes after a hand-back.
        messages.push({
          role: 'assistant',
          content: `[Support agent${entry.agentName ? ` ${entry.agentName}` : ''}] ${entry.content}`,
        });
        break;
      case 'notice':
        break;
    }
  }
  return mergeAdjacentAssistantTurns(answerEveryToolCall(messages));
}

const UNANSWERED = JSON.stringify({
  status: 'error',
  error_type: 'permanent',
  retry_safe: false,
  message: 'cancelled',
});

/**
 * Providers reject a tool call without its result (and a result without its call) with a 400 on
 * every later request. Whatever happened to a turn (a crash, a cancellation), the prompt pairs them.
 */
function answerEveryToolCall(messages: PromptMessage[]): PromptMessage[] {
  const repaired: PromptMessage[] = [];
  let open = new Map<string, string>();
  const closeOpenCalls = () => {
    for (const [id, name] of open) repaired.push({ role: 'tool', toolCallId: id, name, content: UNANSWERED });
    open = new Map();
  };
  for (const message of messages) {
    if (message.role === 'tool') {
      if (!open.delete(message.toolCallId)) continue;
      repaired.push(message);
      continue;
    }
    closeOpenCalls();
    repaired.push(message);
    if (message.role === 'assistant')
      for (const call of message.toolCalls ?? []) open.set(call.id, call.name);
  }
  closeOpenCalls();
  return repaired;
}

/** Providers reject two assistant messages in a row; fold them into one. */
function mergeAdjacentAssistantTurns(messages: PromptMessage[]): PromptMessage[] {
  const merged: PromptMessage[] = [];
  for (const message of messages) {
    const previous = merged.at(-1);
    if (previous?.role === 'assistant' && message.role === 'assistant' && !previous.toolCalls?.length) {
      merged[merged.length - 1] = {
        ...message,
        content: [previous.content, message.content].filter((text) => text.length > 0).join('\n\n'),
      };
      continue;
    }
    merged.push(message);
  }
  return merged;
}

export function toolDefinitions(
  names: readonly string[],
  contracts: ReadonlyMap<
    string,
    { name: string; description: string; input_schema: Record<string, unknown> }
  >,
): ToolDefinition[] {
  return names.flatMap((name) => {
    const contract = contracts.get(name);
    return contract ? [{ name, description: contract.description, inputSchema: contract.input_schema }] : [];
  });
}
