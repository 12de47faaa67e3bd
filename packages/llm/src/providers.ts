import type { ModelProviderName, ModelSpec } from '@agentops/core';
import type { ModelProvider } from './provider.ts';
import { SimModel } from './sim/sim-model.ts';

export interface ProviderSettings {
  simLatencyMs: number;
}

/** The providers this process can reach. With no real provider configured, the sims serve. */
export function createModelProviders(settings: ProviderSettings): Map<ModelProviderName, ModelProvider> {
  return new Map<ModelProviderName, ModelProvider>([
    ['sim', new SimModel({ latencyMs: settings.simLatencyMs })],
  ]);
}

export function enabledModels(
  catalogue: ModelSpec[],
  providers: ReadonlyMap<ModelProviderName, ModelProvider>,
): ModelSpec[] {
  return catalogue.filter((model) => providers.has(model.provider));
}
