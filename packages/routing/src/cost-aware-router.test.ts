import type { ModelProviderName, ModelSpec, ModelTier } from '@agentops/core';
import { describe, expect, it } from 'vitest';
import { estimateComplexity } from './complexity.ts';
import { CostAwareRouter, type RouteInput } from './cost-aware-router.ts';

const model = (
  id: string,
  provider: ModelProviderName,
  tier: ModelTier,
  input: number,
  output: number,
): ModelSpec => ({
  id,
  provider,
  model: id,
  tier,
  input_usd_per_mtok: input,
  output_usd_per_mtok: output,
  context_window: 200_000,
  max_output_tokens: 4_096,
  supports_tools: true,
});

const haiku = model('claude-haiku-4-5', 'anthropic', 'small', 1, 5);
const sonnet = model('claude-sonnet-4-6', 'anthropic', 'medium', 3, 15);
const opus = model('claude-opus-4-7', 'anthropic', 'large', 5, 25);
const mini = model('gpt-5.4-mini', 'openai', 'small', 0.75, 4.5);
const gpt54 = model('gpt-5.4', 'openai', 'medium', 2.5, 15);
const gpt55 = model('gpt-5.5', 'openai', 'large', 5, 30);
const everything = [opus, haiku, gpt55, sonnet, mini, gpt54];

const turn = (message: string, overrides: Partial<RouteInput> = {}): RouteInput => ({
  message,
  conversationDepth: 0,
  toolFailures: 0,
  modelFailures: 0,
  budgetRemaining: 1,
  ...overrides,
});

const SIMPLE = 'Where is my order A1001?';
const HARD =
  'Analyse the likely root causes of our late deliveries from two warehouses, compare them with last quarter, and propose a prioritised plan step by step.';

describe('the cost-aware router', () => {
  it('sends a simple support question to the cheapest small model', () => {
    const choice = new CostAwareRouter(everything).choose(turn(SIMPLE));
    expect(choice.model.id).toBe('gpt-5.4-mini');
    expect(choice.tier).toBe('small');
    expect(choice.reason).toMatch(/^needs small/);
  });

  it('sends a multi-step analysis to the cheapest large model', () => {
    const choice = new CostAwareRouter(everything).choose(turn(HARD));
    expect(choice.model.id).toBe('claude-opus-4-7');
    expect(choice.reason).toMatch(/needs large/);
    expect(choice.reason).toMatch(/deep work|analysis/);
  });

  it('sends SQL that needs joins and ranking to the medium tier', () => {
    const choice = new CostAwareRouter(everything).choose(
      turn('Join orders and customers and get the top 3 customers by spend in each country.'),
    );
    expect(choice.tier).toBe('medium');
    expect(choice.model.id).toBe('gpt-5.4');
  });

  it('lists the same tier on the other provider as the fallback, cheapest first', () => {
    const choice = new CostAwareRouter(everything).choose(turn(SIMPLE));
    expect(choice.fallbacks.map((m) => m.id)).toEqual(['claude-haiku-4-5']);
    const large = new CostAwareRouter(everything).choose(turn(HARD));
    expect(large.fallbacks.map((m) => m.id)).toEqual(['gpt-5.5']);
  });

  it('uses a higher tier when the needed one has no enabled model, and says so', () => {
    const choice = new CostAwareRouter([sonnet, opus]).choose(turn(SIMPLE));
    expect(choice.model.id).toBe('claude-sonnet-4-6');
    expect(choice.reason).toMatch(/cheapest at or above small/);
  });

  it('falls back to the most capable model when nothing reaches the tier', () => {
    const choice = new CostAwareRouter([haiku, mini]).choose(turn(HARD));
    expect(choice.tier).toBe('small');
    expect(choice.reason).toMatch(/no large model enabled/);
  });

  it('steps up a tier after the model failed twice in the turn', () => {
    const router = new CostAwareRouter(everything);
    expect(router.choose(turn(SIMPLE, { modelFailures: 1 })).tier).toBe('small');
    const raised = router.choose(turn(SIMPLE, { modelFailures: 2 }));
    expect(raised.tier).toBe('medium');
    expect(raised.reason).toMatch(/stepped up to medium after 2 failed model steps/);
  });

  it('steps down a tier near the end of the session budget', () => {
    const lowered = new CostAwareRouter(everything).choose(turn(HARD, { budgetRemaining: 0.1 }));
    expect(lowered.tier).toBe('medium');
    expect(lowered.reason).toMatch(/stepped down to medium: 10% of the budget left/);
  });

  it('ignores models without tool support while any model has it', () => {
    const noTools = { ...model('cheap-no-tools', 'openai_compatible', 'small', 0, 0), supports_tools: false };
    expect(new CostAwareRouter([noTools, haiku]).choose(turn(SIMPLE)).model.id).toBe('claude-haiku-4-5');
  });

  it('serves with the sims alone, as offline', () => {
    const simSmall = model('sim-small', 'sim', 'small', 0.8, 4);
    const simLarge = model('sim-large', 'sim', 'large', 3, 15);
    const router = new CostAwareRouter([simSmall, simLarge]);
    expect(router.choose(turn(SIMPLE)).model.id).toBe('sim-small');
    expect(router.choose(turn(HARD)).model.id).toBe('sim-large');
    expect(router.choose(turn(SIMPLE)).fallbacks).toEqual([]);
  });

  it('refuses to start with no model enabled', () => {
    expect(() => new CostAwareRouter([])).toThrow(/no model is enabled/);
  });
});

describe('the complexity estimate', () => {
  it('counts earlier tool failures and a long conversation towards a larger tier', () => {
    const calm = estimateComplexity({
      message: 'Is my refund through?',
      conversationDepth: 0,
      toolFailures: 0,
    });
    const troubled = estimateComplexity({
      message: 'Is my refund through?',
      conversationDepth: 24,
      toolFailures: 2,
    });
    expect(troubled.score).toBeGreaterThan(calm.score);
    expect(troubled.signals).toEqual(expect.arrayContaining(['long conversation', '2 tool failures']));
  });

  it('reads pasted material as data, not as the size of the ask', () => {
    const pasted = `Extract the invoice number from this: '${'Line item: 2 chairs at $45, delivered. '.repeat(12)}Invoice INV-1.'`;
    expect(estimateComplexity({ message: pasted, conversationDepth: 0, toolFailures: 0 }).tier).toBe('small');
  });
});
