import type { ModelSpec, ModelTier } from '@agentops/core';

export interface TierRoutingInput {
  message: string;
  conversationDepth: number;
  toolFailures: number;
  modelFailures: number;
  budgetRemaining: number;
}

export interface TierChoice {
  model: ModelSpec;
  tier: ModelTier;
  reason: string;
}

const TIER_ORDER: ModelTier[] = ['small', 'medium', 'large'];

/** Picks the cheapest enabled model whose tier is at least the one the turn needs. */
export class TierRouter {
  private readonly models: ModelSpec[];

  constructor(enabledModels: ModelSpec[]) {
    if (enabledModels.length === 0) throw new Error('no model is enabled');
    this.models = [...enabledModels].sort((a, b) => blendedPrice(a) - blendedPrice(b));
  }

  choose(input: TierRoutingInput): TierChoice {
    const needed: ModelTier = input.message.length > 600 ? 'large' : 'small';
    const reason = needed === 'large' ? 'long request' : 'short request';
    return { ...this.cheapestAtLeast(needed), reason };
  }

  private cheapestAtLeast(tier: ModelTier): { model: ModelSpec; tier: ModelTier } {
    const floor = TIER_ORDER.indexOf(tier);
    const candidates = this.models.filter((m) => m.supports_tools && TIER_ORDER.indexOf(m.tier) >= floor);
    const model = candidates[0] ?? this.models.at(-1) ?? this.models[0];
    if (!model) throw new Error('no model is enabled');
    return { model, tier: model.tier };
  }
}

/** Price of a typical call (3 input tokens per output token), to rank models by cost. */
export function blendedPrice(model: ModelSpec): number {
  return model.input_usd_per_mtok * 3 + model.output_usd_per_mtok;
}
