import { z } from 'zod';
import type { ProviderSettings } from './providers.ts';

const optionalString = z.preprocess(
  (value) => (value === '' ? undefined : value),
  z.string().min(1).optional(),
);
const optionalUrl = z.preprocess(
  (value) => (value === '' ? undefined : value),
  z.url({ message: 'must be a URL such as http://127.0.0.1:11434/v1' }).optional(),
);

/** The variables that switch real providers on; every one is optional (unset: the sims serve). */
export const ProviderEnv = z.object({
  ANTHROPIC_API_KEY: optionalString,
  ANTHROPIC_BASE_URL: optionalUrl,
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: optionalUrl,
});
export type ProviderEnv = z.infer<typeof ProviderEnv>;

/**
 * `OPENAI_API_KEY` alone: OpenAI itself. `OPENAI_BASE_URL` (with the key if the server wants one):
 * an OpenAI-compatible server such as Ollama or vLLM, serving the catalogue's `openai_compatible`
 * models; OpenAI's own models then stay off, so a local server is never sent `gpt-…` requests.
 */
export function providerSettingsFromEnv(
  env: ProviderEnv,
  common: Pick<ProviderSettings, 'simLatencyMs' | 'simChaosRate' | 'simChaosSeed' | 'timeoutMs'>,
): ProviderSettings {
  return {
    ...common,
    ...(env.ANTHROPIC_API_KEY
      ? {
          anthropic: {
            apiKey: env.ANTHROPIC_API_KEY,
            ...(env.ANTHROPIC_BASE_URL ? { baseURL: env.ANTHROPIC_BASE_URL } : {}),
          },
        }
      : {}),
    ...(env.OPENAI_BASE_URL
      ? {
          openaiCompatible: {
            baseURL: env.OPENAI_BASE_URL,
            ...(env.OPENAI_API_KEY ? { apiKey: env.OPENAI_API_KEY } : {}),
          },
        }
      : env.OPENAI_API_KEY
        ? { openai: { apiKey: env.OPENAI_API_KEY } }
        : {}),
  };
}
