import { describe, expect, it } from 'vitest';
import { SUMMARY_SYSTEM_PROMPT, systemWithSummary } from '../summary-prompt.ts';
import { SimModel } from './sim-model.ts';

const model = {
  id: 'sim-small',
  provider: 'sim' as const,
  model: 'sim-small',
  tier: 'small' as const,
  input_usd_per_mtok: 0.8,
  output_usd_per_mtok: 4,
  context_window: 16_000,
  max_output_tokens: 1_024,
  supports_tools: true,
};
const sim = new SimModel({ latencyMs: 0 });

describe('the sim as summariser', () => {
  it('summarises a conversation one line per message, folding in the earlier summary first', async () => {
    const completion = await sim.complete({
      model,
      system: SUMMARY_SYSTEM_PROMPT,
      messages: [
        { role: 'user', content: 'Earlier summary:\n- The customer asked: "Hi"' },
        { role: 'user', content: 'Where is my order A1001?' },
        { role: 'assistant', content: 'Order A1001 is shipped.' },
      ],
      tools: [],
      maxOutputTokens: 1_024,
    });
    expect(completion.text.split('\n')).toEqual([
      '- The customer asked: "Hi"',
      '- The customer asked: "Where is my order A1001?"',
      '- The assistant answered: "Order A1001 is shipped."',
    ]);
    expect(completion.usage.outputTokens).toBeGreaterThan(0);
  });

  it('recalls the first question from the summary when the messages no longer hold it', async () => {
    const completion = await sim.complete({
      model,
      system: systemWithSummary(
        'You are a support assistant.',
        '- The customer asked: "Where is my order A1001?"',
      ),
      messages: [
        { role: 'user', content: 'Where is my order A1005?' },
        { role: 'assistant', content: 'Order A1005 is shipped.' },
        { role: 'user', content: 'What did I ask first?' },
      ],
      tools: [],
      maxOutputTokens: 1_024,
    });
    expect(completion.text).toBe('You first asked: "Where is my order A1001?"');
  });
});
