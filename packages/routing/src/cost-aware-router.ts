import type { ModelSpec, ModelTier } from '@agentops/core';
import { estimateComplexity, shiftTier, tierIndex } from './complexity.ts';

/** What the router knows about a turn when it picks the model of the next step. */
export interface RouteInput {
  message: string;
  /** User and assistant messages already in the conversation. */
  conversationDepth: number;
  /** Tool errors seen earlier in this turn. */
  toolFailures: number;
  /** Steps of this turn whose model output was unusable (invalid tool arguments, unknown tool, refusal). */
  modelFailures: number;
  /** Share of the session's budget still available, 0 to 1. */
  budgetRemaining: number;
}

export interface RouteChoice {
  model: ModelSpec;
  tier: ModelTier;
  reason: string;
  /** Same tier on other providers, cheapest first: where the call goes if this provider fails. */
  fallbacks: ModelSpec[];
}

export interface RouterSettings {
  /** At or below this share of the session budget left, the router steps down a tier. */
  lowBudgetShare: number;
  /** After this many failed model steps in one turn, the router steps up a tier. */
  stepUpAfterFailures: number;
}

export const DEFAULT_ROUTER_SETTINGS: RouterSettings = { lowBudgetShare: 0.15, stepUpAfterFailures: 2 };

/**
 * Picks the cheapest enabled model that can do the turn: the complexity estimate says which tier
 * the turn needs, the cheapest tool-capable model of that tier or above serves it. Two model
 * failures in a turn step it up a tier (the cheaper model has shown it cannot); a session near the
 * end of its budget steps down a tier (a cheaper answer beats a refused one).
 */
export class CostAwareRouter {
  private readonly models: ModelSpec[];
  private readonly settings: RouterSettings;

  constructor(enabledModels: readonly ModelSpec[], settings: RouterSettings = DEFAULT_ROUTER_SETTINGS) {
    const withTools = enabledModels.filter((model) => model.supports_tools);
    // The platform's agents work through tools; a model without them is chosen only if nothing else is enabled.
    const usable = withTools.length > 0 ? withTools : [...enabledModels];
    if (usable.length === 0) throw new Error('no model is enabled');
    this.models = usable.sort((a, b) => blendedPrice(a) - blendedPrice(b) || a.id.localeCompare(b.id));
    this.settings = settings;
  }

  choose(input: RouteInput): RouteChoice {
    const estimate = estimateComplexity(input);
    const reasons = [`needs ${estimate.tier} (score ${estimate.score}${signalsText(estimate.signals)})`];
    let tier = estimate.tier;
    if (input.modelFailures >= this.settings.stepUpAfterFailures) {
      const raised = shiftTier(tier, 1);
      if (raised !== tier)
        reasons.push(`stepped up to ${raised} after ${input.modelFailures} failed model steps`);
      tier = raised;
    }
    if (input.budgetRemaining <= this.settings.lowBudgetShare) {
      const lowered = shiftTier(tier, -1);
      if (lowered !== tier) {
        reasons.push(
          `stepped down to ${lowered}: ${Math.round(input.budgetRemaining * 100)}% of the budget left`,
        );
      }
      tier = lowered;
    }
    const model = this.cheapestAtLeast(tier);
    if (tierIndex(model.tier) < tierIndex(tier)) reasons.push(`no ${tier} model enabled`);
    else if (model.tier !== tier) reasons.push(`cheapest at or above ${tier}`);
    return {
      model,
      tier: model.tier,
      reason: reasons.join('; ').slice(0, 300),
      fallbacks: this.models.filter((m) => m.tier === model.tier && m.provider !== model.provider),
    };
  }

  /** The cheapest model of the tier or above; the most capable one when none reaches the tier. */
  cheapestAtLeast(tier: ModelTier): ModelSpec {
    const floor = tierIndex(tier);
    const candidate = this.models.find((model) => tierIndex(model.tier) >= floor);
    if (candidate) return candidate;
    const top = Math.max(...this.models.map((model) => tierIndex(model.tier)));
    const best = this.models.find((model) => tierIndex(model.tier) === top);
    if (!best) throw new Error('no model is enabled');
    return best;
  }
}

function signalsText(signals: string[]): string {
  return signals.length > 0 ? `: ${signals.slice(0, 4).join(', ')}` : '';
}

/** Price of a typical call (3 input tokens per output token), to rank models by cost. */
export function blendedPrice(model: ModelSpec): number {
  return model.input_usd_per_mtok * 3 + model.output_usd_per_mtok;
}
