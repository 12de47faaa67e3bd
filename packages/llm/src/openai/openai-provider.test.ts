import type { ModelSpec } from '@agentops/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PromptMessage, ToolDefinition } from '../provider.ts';
import { openaiCompletion, openaiError, startFakeOpenAI } from '../testing/fake-openai.ts';
import type { FakeProviderServer } from '../testing/fake-provider-server.ts';
import { OpenAIProvider } from './openai-provider.ts';

const mini: ModelSpec = {
  id: 'gpt-5.4-mini',
  provider: 'openai',
  model: 'gpt-5.4-mini',
  tier: 'small',
  input_usd_per_mtok: 0.75,
  output_usd_per_mtok: 4.5,
  context_window: 400_000,
  max_output_tokens: 4_096,
  supports_tools: true,
};

const orderTool: ToolDefinition = {
  name: 'get_order_status',
  description: 'Looks an order up.',
  inputSchema: { type: 'object', properties: { order_id: { type: 'string' } }, required: ['order_id'] },
};

let fake: FakeProviderServer;
let openai: OpenAIProvider;
let local: OpenAIProvider;

beforeAll(async () => {
  fake = await startFakeOpenAI();
  openai = new OpenAIProvider({ provider: 'openai', apiKey: 'sk-test', baseURL: fake.url, timeoutMs: 5_000 });
  local = new OpenAIProvider({
    provider: 'openai_compatible',
    apiKey: 'not-needed',
    baseURL: fake.url,
    timeoutMs: 5_000,
  });
});
afterAll(() => fake.close());
afterEach(() => {
  fake.requests.length = 0;
});

const ask = (messages: PromptMessage[], provider = openai) =>
  provider.complete({
    model: mini,
    system: 'You are a support agent.',
    messages,
    tools: [orderTool],
    maxOutputTokens: 300,
  });

describe('the OpenAI adapter over the official SDK', () => {
  it('round-trips a tool call and its result, and prices cached prompt tokens apart', async () => {
    fake.script(
      openaiCompletion({
        toolCalls: [{ id: 'call_1', name: 'get_order_status', arguments: '{"order_id":"A1001"}' }],
        usage: { prompt: 1_000, completion: 30, cached: 0 },
      }),
      openaiCompletion({
        text: 'Order A1001 has shipped.',
        usage: { prompt: 1_100, completion: 10, cached: 1_024 },
      }),
    );
    const first = await ask([{ role: 'user', content: 'Where is my order A1001?' }]);
    expect(first).toMatchObject({
      text: '',
      stopReason: 'tool_use',
      toolCalls: [{ id: 'call_1', name: 'get_order_status', arguments: { order_id: 'A1001' } }],
      usage: { inputTokens: 1_000, outputTokens: 30, cacheReadTokens: 0 },
    });
    expect(first.requestId).toMatch(/^req_/);
    const second = await ask([
      { role: 'user', content: 'Where is my order A1001?' },
      { role: 'assistant', content: '', toolCalls: first.toolCalls },
      { role: 'tool', toolCallId: 'call_1', name: 'get_order_status', content: '{"status":"success"}' },
    ]);
    expect(second).toMatchObject({
      text: 'Order A1001 has shipped.',
      stopReason: 'end',
      usage: { inputTokens: 76, outputTokens: 10, cacheReadTokens: 1_024 },
    });
    expect(fake.requests[0]?.body).toMatchObject({
      model: 'gpt-5.4-mini',
      max_completion_tokens: 300,
      tools: [
        { type: 'function', function: { name: 'get_order_status', parameters: orderTool.inputSchema } },
      ],
    });
    expect(fake.requests[1]?.body.messages).toEqual([
      { role: 'system', content: 'You are a support agent.' },
      { role: 'user', content: 'Where is my order A1001?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_1',
            type: 'function',
            function: { name: 'get_order_status', arguments: '{"order_id":"A1001"}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '{"status":"success"}' },
    ]);
    expect(fake.requests[0]?.headers.authorization).toBe('Bearer sk-test');
  });

  it('keeps malformed JSON arguments visible as invalid, and replays the call as a valid object', async () => {
    fake.script(
      openaiCompletion({
        toolCalls: [{ id: 'call_2', name: 'get_order_status', arguments: '{"order_id": "A10' }],
      }),
      openaiCompletion({ text: 'Sorry, which order?' }),
    );
    const first = await ask([{ role: 'user', content: 'Where is my order?' }]);
    expect(first.toolCalls).toEqual([
      { id: 'call_2', name: 'get_order_status', arguments: {}, invalidArguments: '{"order_id": "A10' },
    ]);
    await ask([
      { role: 'user', content: 'Where is my order?' },
      { role: 'assistant', content: '', toolCalls: first.toolCalls },
      { role: 'tool', toolCallId: 'call_2', name: 'get_order_status', content: '{"status":"error"}' },
    ]);
    const messages = (fake.requests[1]?.body.messages ?? []) as {
      tool_calls?: { function: { arguments: string } }[];
    }[];
    const replayed = messages[2];
    expect(replayed?.tool_calls?.[0]?.function.arguments).toBe('{}');
  });

  it('passes an invented tool name through, for the engine to answer as unknown', async () => {
    fake.script(openaiCompletion({ toolCalls: [{ name: 'drop_database', arguments: '{}' }] }));
    const completion = await ask([{ role: 'user', content: 'Clean up' }]);
    expect(completion.toolCalls.map((call) => call.name)).toEqual(['drop_database']);
  });

  it('reports a refusal with its text', async () => {
    fake.script(openaiCompletion({ refusal: 'I can’t assist with that.' }));
    expect(await ask([{ role: 'user', content: 'x' }])).toMatchObject({
      stopReason: 'refusal',
      text: 'I can’t assist with that.',
    });
  });

  it('speaks to a compatible server with max_tokens, and estimates usage it does not report', async () => {
    fake.script(openaiCompletion({ text: 'Hello from a local model.', usage: null }));
    const completion = await ask([{ role: 'user', content: 'Hello' }], local);
    expect(fake.requests[0]?.body).toMatchObject({ max_tokens: 300 });
    expect(fake.requests[0]?.body).not.toHaveProperty('max_completion_tokens');
    expect(completion.usage.inputTokens).toBeGreaterThan(10);
    expect(completion.usage.outputTokens).toBeGreaterThan(3);
  });

  it('classifies 429 with retry-after-ms, 503 and 401 errors', async () => {
    fake.script(
      openaiError(429, 'Rate limit reached', 'requests', { 'retry-after-ms': '1500' }),
      openaiError(503, 'The server is overloaded', 'server_error'),
      openaiError(401, 'Incorrect API key provided', 'invalid_request_error'),
    );
    const failure = () => ask([{ role: 'user', content: 'x' }]).catch((error: unknown) => error);
    expect(await failure()).toMatchObject({ kind: 'rate_limited', retryAfterMs: 1_500 });
    expect(await failure()).toMatchObject({ kind: 'server', status: 503 });
    expect(await failure()).toMatchObject({
      kind: 'unavailable',
      status: 401,
      retryable: false,
      fallbackAllowed: true,
    });
  });
});
