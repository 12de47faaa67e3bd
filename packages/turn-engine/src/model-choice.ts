import type { ModelSpec, ModelTier } from '@agentops/core';

/** What the router knows about a turn when it picks a model for the next step. */
export interface RoutingInput {
  message: string;
  /** User and assistant messages already in the conversation. */
  conversationDepth: number;
  /** Tool errors seen earlier in this turn. */
  toolFailures: number;
  /** Steps of this turn whose model output was unusable (invalid tool arguments, unknown tool, refusal). */
  modelFailures: number;
  /** Share of the session's token budget still available, 0 to 1. */
  budgetRemaining: number;
}

export interface ModelChoice {
  model: ModelSpec;
  tier: ModelTier;
  reason: string;
  /** Where the call goes, in order, when the model's provider keeps failing. */
  fallbacks?: ModelSpec[];
}

export interface ModelChooser {
  choose(input: RoutingInput): ModelChoice;
}
