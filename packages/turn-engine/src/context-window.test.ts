import type { HistoryMessage, ModelSpec } from '@agentops/core';
import { countPromptTokens, type PromptMessage } from '@agentops/llm';
import { describe, expect, it } from 'vitest';
import { fitToContextWindow } from './context-window.ts';
import { summaryCut } from './summary-cut.ts';

const model = (contextWindow: number): ModelSpec => ({
  id: 'm',
  provider: 'sim',
  model: 'm',
  tier: 'small',
  input_usd_per_mtok: 1,
  output_usd_per_mtok: 1,
  context_window: contextWindow,
  max_output_tokens: 100,
  supports_tools: true,
});

const exchange = (n: number): PromptMessage[] => [
  { role: 'user', content: `Question number ${n}: ${'words '.repeat(60)}` },
  {
    role: 'assistant',
    content: '',
    toolCalls: [{ id: `c${n}`, name: 'get_order_status', arguments: { order_id: 'A1001' } }],
  },
  { role: 'tool', toolCallId: `c${n}`, name: 'get_order_status', content: '{"status":"success"}' },
  { role: 'assistant', content: `Answer number ${n}` },
];

describe('fitting a prompt to the context window', () => {
  const system = 'You are a support assistant.';
  const messages = [1, 2, 3, 4].flatMap(exchange);

  it('keeps everything when it fits', () => {
    const fitted = fitToContextWindow(model(100_000), system, messages, []);
    expect(fitted).toMatchObject({ fits: true, droppedMessages: 0 });
  });

  it('drops whole exchanges, oldest first, and never separates a tool call from its result', () => {
    const full = countPromptTokens(system, messages, []);
    const fitted = fitToContextWindow(model(Math.floor(full * 0.6) + 100), system, messages, []);
    if (!fitted.fits) throw new Error('expected a fit');
    expect(fitted.droppedMessages % 4).toBe(0);
    expect(fitted.droppedMessages).toBeGreaterThan(0);
    expect(fitted.messages[0]?.role).toBe('user');
    expect(fitted.messages.at(-1)).toEqual({ role: 'assistant', content: 'Answer number 4' });
    expect(fitted.promptTokens).toBeLessThanOrEqual(Math.floor(full * 0.6));
  });

  it('refuses rather than dropping the system prompt or the latest exchange', () => {
    const fitted = fitToContextWindow(model(150), `${system} ${'rule '.repeat(200)}`, exchange(1), []);
    expect(fitted.fits).toBe(false);
  });
});

describe('where a summary ends', () => {
  const history: HistoryMessage[] = [1, 2, 3].flatMap((n) => [
    { role: 'user' as const, content: `q${n}`, turnId: `t${n}`, at: '' },
    { role: 'assistant' as const, content: `a${n}`, turnId: `t${n}`, at: '' },
  ]);

  it('folds everything before the last two exchanges', () => {
    expect(summaryCut(history, 0)).toBe(2);
  });

  it('folds nothing when that part is summarised already', () => {
    expect(summaryCut(history, 2)).toBeUndefined();
    expect(summaryCut(history.slice(0, 4), 0)).toBeUndefined();
  });
});
