import type { ModelProviderName, ModelSpec } from '@agentops/core';
import type { ModelProvider } from './provider.ts';
import { ChaosSim } from './sim/chaos-sim.ts';
import { SimModel } from './sim/sim-model.ts';

export interface ProviderSettings {
  simLatencyMs: number;
  /** Share of sim calls that misbehave (chaos mode, for resilience tests); 0 turns it off. */
  simChaosRate?: number;
  simChaosSeed?: number;
}

/** The providers this process can reach. With no real provider configured, the sims serve. */
export function createModelProviders(settings: ProviderSettings): Map<ModelProviderName, ModelProvider> {
  return new Map<ModelProviderName, ModelProvider>([['sim', simProvider(settings)]]);
}

function simProvider(settings: ProviderSettings): ModelProvider {
  const sim = new SimModel({ latencyMs: settings.simLatencyMs });
  if (!settings.simChaosRate) return sim;
  return new ChaosSim(sim, { rate: settings.simChaosRate, seed: settings.simChaosSeed ?? 1 });
}

export function enabledModels(
  catalogue: ModelSpec[],
  providers: ReadonlyMap<ModelProviderName, ModelProvider>,
): ModelSpec[] {
  return catalogue.filter((model) => providers.has(model.provider));
}
