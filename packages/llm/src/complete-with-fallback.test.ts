import type { ModelProviderName, ModelSpec } from '@agentops/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AnthropicProvider } from './anthropic/anthropic-provider.ts';
import { completeWithFallback, type FallbackRequest, type RetryPolicy } from './complete-with-fallback.ts';
import { ModelUnavailableError, ProviderError } from './errors.ts';
import { OpenAIProvider } from './openai/openai-provider.ts';
import type { ModelProvider } from './provider.ts';
import { anthropicError, anthropicMessage, startFakeAnthropic } from './testing/fake-anthropic.ts';
import { openaiCompletion, openaiError, startFakeOpenAI } from './testing/fake-openai.ts';
import type { FakeProviderServer } from './testing/fake-provider-server.ts';

const spec = (id: string, provider: ModelProviderName, model = id): ModelSpec => ({
  id,
  provider,
  model,
  tier: 'small',
  input_usd_per_mtok: 1,
  output_usd_per_mtok: 5,
  context_window: 200_000,
  max_output_tokens: 2_048,
  supports_tools: true,
});
const haiku = spec('claude-haiku-4-5', 'anthropic');
const mini = spec('gpt-5.4-mini', 'openai');

const request: FallbackRequest = {
  system: 'You are a support agent.',
  messages: [{ role: 'user', content: 'Where is my order A1001?' }],
  tools: [],
  maxOutputTokens: 1_000,
};

let anthropic: FakeProviderServer;
let openai: FakeProviderServer;
let providers: Map<ModelProviderName, ModelProvider>;
let pauses: number[];

const policy: RetryPolicy = { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 10_000, attemptTimeoutMs: 2_000 };

/** Records each pause instead of waiting it, so the test checks the wait without being slow. */
const options = (overrides: Partial<RetryPolicy> = {}) => ({
  policy: { ...policy, ...overrides },
  sleep: async (ms: number) => {
    pauses.push(ms);
  },
  random: () => 0.5,
});

beforeAll(async () => {
  anthropic = await startFakeAnthropic();
  openai = await startFakeOpenAI();
  providers = new Map<ModelProviderName, ModelProvider>([
    ['anthropic', new AnthropicProvider({ apiKey: 'sk-ant-test', baseURL: anthropic.url, timeoutMs: 5_000 })],
    [
      'openai',
      new OpenAIProvider({ provider: 'openai', apiKey: 'sk-test', baseURL: openai.url, timeoutMs: 5_000 }),
    ],
  ]);
});
afterAll(async () => {
  await anthropic.close();
  await openai.close();
});
beforeEach(() => {
  anthropic.requests.length = 0;
  openai.requests.length = 0;
  pauses = [];
});

describe('a model call that meets provider failures', () => {
  it('waits at least what a 429 retry-after asks, then succeeds on the same model', async () => {
    anthropic.script(
      anthropicError(429, 'rate_limit_error', 'rate limited', { 'retry-after': '3' }),
      anthropicMessage({ text: 'Order A1001 has shipped.' }),
    );
    const served = await completeWithFallback(providers, [haiku, mini], request, options());
    expect(served.model.id).toBe('claude-haiku-4-5');
    expect(served.completion.text).toBe('Order A1001 has shipped.');
    expect(pauses).toEqual([3_000]);
    expect(served.failures).toMatchObject([{ model: 'claude-haiku-4-5', kind: 'rate_limited', status: 429 }]);
    expect(openai.requests).toHaveLength(0);
  });

  it('retries a 529 overloaded with growing backoff', async () => {
    anthropic.script(
      anthropicError(529, 'overloaded_error', 'Overloaded'),
      anthropicError(529, 'overloaded_error', 'Overloaded'),
      anthropicMessage({ text: 'Done.' }),
    );
    const served = await completeWithFallback(providers, [haiku, mini], request, options());
    expect(served.completion.text).toBe('Done.');
    expect(anthropic.requests).toHaveLength(3);
    // 100 ms then 200 ms, each with equal jitter at its midpoint.
    expect(pauses).toEqual([75, 150]);
  });

  it('answers after a 500 followed by a success', async () => {
    openai.script(
      openaiError(500, 'The server had an error', 'server_error'),
      openaiCompletion({ text: 'Hello.' }),
    );
    const served = await completeWithFallback(providers, [mini], request, options());
    expect(served.completion.text).toBe('Hello.');
    expect(openai.requests).toHaveLength(2);
  });

  it('gives up on an answer slower than the timeout and asks again', async () => {
    anthropic.script(
      { ...anthropicMessage({ text: 'Too late.' }), delayMs: 5_000 },
      anthropicMessage({ text: 'In time.' }),
    );
    const served = await completeWithFallback(
      providers,
      [haiku],
      request,
      options({ attemptTimeoutMs: 250 }),
    );
    expect(served.completion.text).toBe('In time.');
    expect(served.failures).toMatchObject([{ kind: 'timeout' }]);
  });

  it('falls back to the same tier on the other provider when one stays overloaded', async () => {
    anthropic.script(
      anthropicError(529, 'overloaded_error', 'Overloaded'),
      anthropicError(529, 'overloaded_error', 'Overloaded'),
      anthropicError(529, 'overloaded_error', 'Overloaded'),
    );
    openai.script(openaiCompletion({ text: 'Served by the fallback.' }));
    const served = await completeWithFallback(providers, [haiku, mini], request, options());
    expect(served.model.id).toBe('gpt-5.4-mini');
    expect(served.completion.text).toBe('Served by the fallback.');
    expect(served.failures.map((f) => `${f.model}#${f.attempt}:${f.kind}`)).toEqual([
      'claude-haiku-4-5#1:overloaded',
      'claude-haiku-4-5#2:overloaded',
      'claude-haiku-4-5#3:overloaded',
    ]);
    expect(openai.requests[0]?.body.model).toBe('gpt-5.4-mini');
  });

  it('goes to the other provider at once when a retry-after is longer than it would wait', async () => {
    anthropic.script(anthropicError(429, 'rate_limit_error', 'rate limited', { 'retry-after': '120' }));
    openai.script(openaiCompletion({ text: 'Fallback.' }));
    const served = await completeWithFallback(providers, [haiku, mini], request, options());
    expect(served.model.id).toBe('gpt-5.4-mini');
    expect(pauses).toEqual([]);
    expect(anthropic.requests).toHaveLength(1);
  });

  it('does not retry a bad key, but lets the other provider serve', async () => {
    anthropic.script(anthropicError(401, 'authentication_error', 'invalid x-api-key'));
    openai.script(openaiCompletion({ text: 'Fallback.' }));
    const served = await completeWithFallback(providers, [haiku, mini], request, options());
    expect(served.model.id).toBe('gpt-5.4-mini');
    expect(anthropic.requests).toHaveLength(1);
  });

  it('neither retries nor sends elsewhere a request the provider rejects as malformed (400)', async () => {
    anthropic.script(anthropicError(400, 'invalid_request_error', 'messages.0: bad'));
    const error = await completeWithFallback(providers, [haiku, mini], request, options()).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: 'bad_request', status: 400 });
    expect(anthropic.requests).toHaveLength(1);
    expect(openai.requests).toHaveLength(0);
  });

  it('reports every failure when no model answers', async () => {
    anthropic.script(anthropicError(503, 'api_error', 'down'), anthropicError(503, 'api_error', 'down'));
    openai.script(openaiError(503, 'down', 'server_error'), openaiError(503, 'down', 'server_error'));
    const error = await completeWithFallback(
      providers,
      [haiku, mini],
      request,
      options({ maxAttempts: 2 }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelUnavailableError);
    expect((error as ModelUnavailableError).failures).toHaveLength(4);
  });

  it('stops at once when the caller cancels (shutdown), without trying another model', async () => {
    anthropic.script({ ...anthropicMessage({ text: 'late' }), delayMs: 5_000 });
    const controller = new AbortController();
    const call = completeWithFallback(providers, [haiku, mini], request, {
      ...options(),
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 100);
    await expect(call).rejects.toThrow();
    expect(openai.requests).toHaveLength(0);
  });

  it('skips a model whose provider is not configured', async () => {
    openai.script(openaiCompletion({ text: 'Hello.' }));
    const served = await completeWithFallback(
      providers,
      [spec('local-small', 'openai_compatible'), mini],
      request,
      options(),
    );
    expect(served.model.id).toBe('gpt-5.4-mini');
  });

  it('caps the output allowance at the serving model’s own', async () => {
    openai.script(openaiCompletion({ text: 'Hello.' }));
    await completeWithFallback(providers, [mini], { ...request, maxOutputTokens: 50_000 }, options());
    expect(openai.requests[0]?.body.max_completion_tokens).toBe(2_048);
  });
});
