import { type ModelSpec, ModelTier } from '@agentops/core';
import { countTokens } from '@agentops/llm';
import { z } from 'zod';
import { tierIndex } from './complexity.ts';
import { CostAwareRouter } from './cost-aware-router.ts';

/** One line of a labelled set: a prompt and the smallest tier that does it well. */
export const LabelledPrompt = z.object({
  prompt: z.string().min(1),
  tier: ModelTier,
  domain: z.string().optional(),
});
export type LabelledPrompt = z.infer<typeof LabelledPrompt>;

/**
 * Output tokens of a typical answer to a prompt of each labelled tier. The answer's length is a
 * property of the task, not of the model, so the routed run and the all-large run use the same.
 */
export const ANSWER_TOKENS: Record<ModelTier, number> = { small: 150, medium: 400, large: 900 };

export interface TierTally {
  count: number;
  correct: number;
  under: number;
  over: number;
}

export interface RoutingEvalResult {
  count: number;
  accuracy: number;
  /** Share of prompts sent to a lower tier than they need. */
  underRouting: number;
  /** Share of prompts sent to a higher tier than they need (costs money, not quality). */
  overRouting: number;
  /** confusion[labelled][routed] */
  confusion: Record<ModelTier, Record<ModelTier, number>>;
  byDomain: Record<string, TierTally>;
  costUsd: { routed: number; allLarge: number; oracle: number };
  /** 1 - routed / allLarge */
  savings: number;
  /** What perfect routing would save: the ceiling for this mix of prompts. */
  oracleSavings: number;
  largeModel: string;
  modelsUsed: Record<string, number>;
}

const emptyRow = (): Record<ModelTier, number> => ({ small: 0, medium: 0, large: 0 });

/**
 * Routes every prompt as a first step of a fresh turn would be routed, and prices the routed
 * choice against sending everything to the cheapest large model of the same catalogue. Tokens come
 * from the tokenizer; prices from the catalogue.
 */
export function evaluateRouting(
  prompts: readonly LabelledPrompt[],
  models: readonly ModelSpec[],
  options: { overheadTokens?: number } = {},
): RoutingEvalResult {
  const router = new CostAwareRouter(models);
  const cheapestOfTier = (tier: ModelTier) => router.cheapestAtLeast(tier);
  const large = cheapestOfTier('large');
  const confusion: RoutingEvalResult['confusion'] = {
    small: emptyRow(),
    medium: emptyRow(),
    large: emptyRow(),
  };
  const byDomain: Record<string, TierTally> = {};
  const modelsUsed: Record<string, number> = {};
  const cost = { routed: 0, allLarge: 0, oracle: 0 };
  let correct = 0;
  let under = 0;
  let over = 0;

  for (const item of prompts) {
    const choice = router.choose({
      message: item.prompt,
      conversationDepth: 0,
      toolFailures: 0,
      modelFailures: 0,
      budgetRemaining: 1,
    });
    const routed = choice.model.tier;
    confusion[item.tier][routed] += 1;
    modelsUsed[choice.model.id] = (modelsUsed[choice.model.id] ?? 0) + 1;
    const delta = tierIndex(routed) - tierIndex(item.tier);
    const domain = item.domain ?? 'all';
    const tally = byDomain[domain] ?? { count: 0, correct: 0, under: 0, over: 0 };
    byDomain[domain] = tally;
    tally.count += 1;
    if (delta === 0) {
      correct += 1;
      tally.correct += 1;
    } else if (delta < 0) {
      under += 1;
      tally.under += 1;
    } else {
      over += 1;
      tally.over += 1;
    }
    const input = countTokens(item.prompt) + (options.overheadTokens ?? 0);
    const output = ANSWER_TOKENS[item.tier];
    cost.routed += priceUsd(choice.model, input, output);
    cost.allLarge += priceUsd(large, input, output);
    cost.oracle += priceUsd(cheapestOfTier(item.tier), input, output);
  }

  const count = prompts.length;
  return {
    count,
    accuracy: count ? correct / count : 0,
    underRouting: count ? under / count : 0,
    overRouting: count ? over / count : 0,
    confusion,
    byDomain,
    costUsd: cost,
    savings: cost.allLarge > 0 ? 1 - cost.routed / cost.allLarge : 0,
    oracleSavings: cost.allLarge > 0 ? 1 - cost.oracle / cost.allLarge : 0,
    largeModel: large.id,
    modelsUsed,
  };
}

export function priceUsd(model: ModelSpec, inputTokens: number, outputTokens: number): number {
  return (inputTokens * model.input_usd_per_mtok + outputTokens * model.output_usd_per_mtok) / 1_000_000;
}
