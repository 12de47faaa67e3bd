import { type ModelSpec, tokenCostMicros } from '@agentops/core';
import type { TokenUsage } from './provider.ts';

/** The real cost of a call from reported usage, in micro-dollars, cache tokens at their own prices. */
export function callCostMicros(model: ModelSpec, usage: TokenUsage): number {
  const cacheRead = usage.cacheReadTokens ?? 0;
  const cacheWrite = usage.cacheWriteTokens ?? 0;
  return (
    tokenCostMicros(usage.inputTokens, model.input_usd_per_mtok) +
    tokenCostMicros(usage.outputTokens, model.output_usd_per_mtok) +
    tokenCostMicros(cacheRead, model.cache_read_usd_per_mtok ?? model.input_usd_per_mtok) +
    tokenCostMicros(cacheWrite, model.cache_write_usd_per_mtok ?? model.input_usd_per_mtok)
  );
}

/** The most a call can cost: the whole prompt plus the model's full output allowance. */
export function worstCaseCostMicros(model: ModelSpec, promptTokens: number, maxOutputTokens: number): number {
  return (
    tokenCostMicros(promptTokens, model.input_usd_per_mtok) +
    tokenCostMicros(maxOutputTokens, model.output_usd_per_mtok)
  );
}
