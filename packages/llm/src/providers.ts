import type { ModelProviderName, ModelSpec } from '@agentops/core';
import { AnthropicProvider } from './anthropic/anthropic-provider.ts';
import { OpenAIProvider } from './openai/openai-provider.ts';
import type { ModelProvider } from './provider.ts';
import { ChaosSim } from './sim/chaos-sim.ts';
import { SimModel } from './sim/sim-model.ts';

export interface ProviderSettings {
  simLatencyMs: number;
  /** Share of sim calls that misbehave (chaos mode, for resilience tests); 0 turns it off. */
  simChaosRate?: number;
  simChaosSeed?: number;
  /** Timeout of one call to a real provider. */
  timeoutMs?: number;
  anthropic?: { apiKey: string; baseURL?: string };
  openai?: { apiKey: string };
  /** Ollama, vLLM or any server of the OpenAI chat completions API. */
  openaiCompatible?: { baseURL: string; apiKey?: string };
}

const OPENAI_API = 'https://api.openai.com/v1';
const DEFAULT_TIMEOUT_MS = 60_000;

/**
 * The providers this process can reach. A real provider is there when it is configured; with
 * none configured, the sims serve (and only then: a sim is not a language model and must never
 * answer a customer next to a real one).
 */
export function createModelProviders(settings: ProviderSettings): Map<ModelProviderName, ModelProvider> {
  const timeoutMs = settings.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const providers = new Map<ModelProviderName, ModelProvider>();
  if (settings.anthropic) {
    providers.set(
      'anthropic',
      new AnthropicProvider({
        apiKey: settings.anthropic.apiKey,
        ...(settings.anthropic.baseURL ? { baseURL: settings.anthropic.baseURL } : {}),
        timeoutMs,
      }),
    );
  }
  if (settings.openai) {
    providers.set(
      'openai',
      new OpenAIProvider({
        provider: 'openai',
        apiKey: settings.openai.apiKey,
        baseURL: OPENAI_API,
        timeoutMs,
      }),
    );
  }
  if (settings.openaiCompatible) {
    providers.set(
      'openai_compatible',
      new OpenAIProvider({
        provider: 'openai_compatible',
        // Local servers ignore the key, but the SDK insists on one.
        apiKey: settings.openaiCompatible.apiKey || 'not-needed',
        baseURL: settings.openaiCompatible.baseURL,
        timeoutMs,
      }),
    );
  }
  if (providers.size === 0) providers.set('sim', simProvider(settings));
  return providers;
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
