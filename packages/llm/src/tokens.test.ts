import { describe, expect, it } from 'vitest';
import type { PromptMessage, ToolDefinition } from './provider.ts';
import { countMessageTokens, countPromptTokens, countTokens, countToolTokens } from './tokens.ts';

describe('token counting', () => {
  it('counts with a real BPE tokenizer, not characters / 4', () => {
    expect(countTokens('')).toBe(0);
    expect(countTokens('hello world')).toBe(2);
    expect(countTokens('The quick brown fox jumps over the lazy dog.')).toBe(10);
  });

  it('adds a fixed overhead per message for role markers', () => {
    expect(countMessageTokens({ role: 'user', content: 'hello world' })).toBe(4 + 2);
    expect(countMessageTokens({ role: 'user', content: '' })).toBe(4);
  });

  it('counts an assistant’s tool calls: name, arguments and framing', () => {
    const plain: PromptMessage = { role: 'assistant', content: 'ok' };
    const calling: PromptMessage = {
      role: 'assistant',
      content: 'ok',
      toolCalls: [{ id: 'c1', name: 'get_order_status', arguments: { order_id: 'A1001' } }],
    };
    const extra = countTokens('get_order_status') + countTokens('{"order_id":"A1001"}') + 6;
    expect(countMessageTokens(calling)).toBe(countMessageTokens(plain) + extra);
  });

  it('counts a tool result with its own framing', () => {
    const content = '{"status":"success","retry_safe":false,"message":"ok"}';
    expect(countMessageTokens({ role: 'tool', toolCallId: 'c1', name: 'x', content })).toBe(
      4 + countTokens(content) + 6,
    );
  });

  it('charges nothing for an empty tool list and something for each offered tool', () => {
    const tools: ToolDefinition[] = [
      { name: 'search_docs', description: 'Search the docs.', inputSchema: {} },
    ];
    expect(countToolTokens([])).toBe(0);
    expect(countToolTokens(tools)).toBe(countTokens(JSON.stringify(tools)) + 10);
  });

  it('sizes a whole prompt as system + messages + tools + overhead', () => {
    const messages: PromptMessage[] = [
      { role: 'user', content: 'Where is A1001?' },
      { role: 'assistant', content: 'Let me check.' },
    ];
    const tools: ToolDefinition[] = [{ name: 'get_order_status', description: 'Look up.', inputSchema: {} }];
    expect(countPromptTokens('Be brief.', messages, tools)).toBe(
      4 +
        countTokens('Be brief.') +
        countMessageTokens(messages[0] as PromptMessage) +
        countMessageTokens(messages[1] as PromptMessage) +
        countToolTokens(tools),
    );
  });

  it('grows with every message added to the conversation', () => {
    const one: PromptMessage[] = [{ role: 'user', content: 'hi' }];
    const two: PromptMessage[] = [...one, { role: 'assistant', content: 'hello' }];
    expect(countPromptTokens('s', two, [])).toBeGreaterThan(countPromptTokens('s', one, []));
  });
});
