import type { ModelSpec } from '@agentops/core';
import { describe, expect, it } from 'vitest';
import { callCostMicros, worstCaseCostMicros } from './catalogue.ts';
import { type ModelProvider, SimModel } from './index.ts';
import { createModelProviders, enabledModels } from './providers.ts';

const simLarge: ModelSpec = {
  id: 'sim-large',
  provider: 'sim',
  model: 'sim-large',
  tier: 'large',
  input_usd_per_mtok: 3,
  output_usd_per_mtok: 15,
  context_window: 200_000,
  max_output_tokens: 4096,
  supports_tools: true,
};

const cached: ModelSpec = {
  ...simLarge,
  id: 'cached',
  cache_read_usd_per_mtok: 0.3,
  cache_write_usd_per_mtok: 3.75,
};

describe('callCostMicros', () => {
  it('prices input and output tokens at their own list prices', () => {
    // 1000 × $3/M + 200 × $15/M = 3000 µ$ + 3000 µ$
    expect(callCostMicros(simLarge, { inputTokens: 1000, outputTokens: 200 })).toBe(6000);
  });

  it('prices cache reads and writes at the cache prices', () => {
    expect(
      callCostMicros(cached, {
        inputTokens: 0,
        outputTokens: 0,
        cacheReadTokens: 10_000,
        cacheWriteTokens: 1000,
      }),
    ).toBe(3000 + 3750);
  });

  it('prices cache tokens as input when the model has no cache price', () => {
    expect(callCostMicros(simLarge, { inputTokens: 0, outputTokens: 0, cacheReadTokens: 1000 })).toBe(3000);
  });

  it('rounds each part up to whole micro-dollars', () => {
    expect(callCostMicros(simLarge, { inputTokens: 1, outputTokens: 1 })).toBe(3 + 15);
    expect(
      callCostMicros({ ...simLarge, input_usd_per_mtok: 0.8 }, { inputTokens: 1, outputTokens: 0 }),
    ).toBe(1);
  });
});

describe('worstCaseCostMicros', () => {
  it('reserves the whole prompt plus the full output allowance', () => {
    expect(worstCaseCostMicros(simLarge, 2000, 4096)).toBe(2000 * 3 + 4096 * 15);
  });

  it('is never below the cost of any call that fits the allowance', () => {
    const reserved = worstCaseCostMicros(simLarge, 500, 100);
    expect(callCostMicros(simLarge, { inputTokens: 500, outputTokens: 100 })).toBeLessThanOrEqual(reserved);
  });
});

describe('providers', () => {
  it('serves the sim models offline and nothing else', () => {
    const providers = createModelProviders({ simLatencyMs: 0 });
    expect([...providers.keys()]).toEqual(['sim']);
    expect(providers.get('sim')).toBeInstanceOf(SimModel);
    const real: ModelSpec = { ...simLarge, id: 'claude', provider: 'anthropic', model: 'claude-x' };
    expect(enabledModels([simLarge, real], providers).map((m) => m.id)).toEqual(['sim-large']);
  });

  it('enables a model once its provider is configured', () => {
    const providers = new Map<ModelSpec['provider'], ModelProvider>([
      ['anthropic', new SimModel({ latencyMs: 0 })],
    ]);
    const real: ModelSpec = { ...simLarge, id: 'claude', provider: 'anthropic', model: 'claude-x' };
    expect(enabledModels([simLarge, real], providers).map((m) => m.id)).toEqual(['claude']);
  });
});
