import type { ModelSpec } from '@agentops/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError } from '../errors.ts';
import type { PromptMessage, ToolDefinition } from '../provider.ts';
import { anthropicError, anthropicMessage, startFakeAnthropic } from '../testing/fake-anthropic.ts';
import type { FakeProviderServer } from '../testing/fake-provider-server.ts';
import { AnthropicProvider } from './anthropic-provider.ts';

const haiku: ModelSpec = {
  id: 'claude-haiku-4-5',
  provider: 'anthropic',
  model: 'claude-haiku-4-5',
  tier: 'small',
  input_usd_per_mtok: 1,
  output_usd_per_mtok: 5,
  context_window: 200_000,
  max_output_tokens: 4_096,
  supports_tools: true,
};

const orderTool: ToolDefinition = {
  name: 'get_order_status',
  description: 'Looks an order up.',
  inputSchema: {
    type: 'object',
    properties: { order_id: { type: 'string' } },
    required: ['order_id'],
  },
};

let fake: FakeProviderServer;
let provider: AnthropicProvider;

beforeAll(async () => {
  fake = await startFakeAnthropic();
  provider = new AnthropicProvider({ apiKey: 'sk-ant-test', baseURL: fake.url, timeoutMs: 5_000 });
});
afterAll(() => fake.close());
afterEach(() => {
  fake.requests.length = 0;
});

const ask = (messages: PromptMessage[]) =>
  provider.complete({
    model: haiku,
    system: 'You are a support agent.',
    messages,
    tools: [orderTool],
    maxOutputTokens: 512,
  });

describe('the Anthropic adapter over the official SDK', () => {
  it('round-trips a tool call and its result as tool_use and tool_result blocks', async () => {
    fake.script(
      anthropicMessage({
        text: 'Let me check.',
        toolUses: [{ id: 'toolu_01', name: 'get_order_status', input: { order_id: 'A1001' } }],
        usage: { input: 900, output: 40, cacheWrite: 700 },
      }),
      anthropicMessage({
        text: 'Order A1001 has shipped.',
        usage: { input: 120, output: 12, cacheRead: 700 },
      }),
    );
    const first = await ask([{ role: 'user', content: 'Where is my order A1001?' }]);
    expect(first.stopReason).toBe('tool_use');
    expect(first.text).toBe('Let me check.');
    expect(first.toolCalls).toEqual([
      { id: 'toolu_01', name: 'get_order_status', arguments: { order_id: 'A1001' } },
    ]);
    expect(first.usage).toEqual({
      inputTokens: 900,
      outputTokens: 40,
      cacheReadTokens: 0,
      cacheWriteTokens: 700,
    });
    expect(first.requestId).toMatch(/^req_/);

    const second = await ask([
      { role: 'user', content: 'Where is my order A1001?' },
      { role: 'assistant', content: first.text, toolCalls: first.toolCalls },
      { role: 'tool', toolCallId: 'toolu_01', name: 'get_order_status', content: '{"status":"success"}' },
    ]);
    expect(second).toMatchObject({
      text: 'Order A1001 has shipped.',
      toolCalls: [],
      stopReason: 'end',
      usage: { inputTokens: 120, outputTokens: 12, cacheReadTokens: 700, cacheWriteTokens: 0 },
    });

    const [request1, request2] = fake.requests;
    expect(request1?.body).toMatchObject({
      model: 'claude-haiku-4-5',
      max_tokens: 512,
      system: [{ type: 'text', text: 'You are a support agent.', cache_control: { type: 'ephemeral' } }],
      tools: [{ name: 'get_order_status', input_schema: orderTool.inputSchema }],
    });
    expect(request2?.body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Where is my order A1001?' }] },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Let me check.' },
          { type: 'tool_use', id: 'toolu_01', name: 'get_order_status', input: { order_id: 'A1001' } },
        ],
      },
      {
        role: 'user',
        content: [{ type: 'tool_result', tool_use_id: 'toolu_01', content: '{"status":"success"}' }],
      },
    ]);
  });

  it('sends the key and API version the Messages API requires', async () => {
    fake.script(anthropicMessage({ text: 'Hi.' }));
    await ask([{ role: 'user', content: 'Hello' }]);
    const headers = fake.requests[0]?.headers ?? {};
    expect(headers.authorization ?? headers['x-api-key']).toContain('sk-ant-test');
    expect(headers['anthropic-version']).toBeTruthy();
  });

  it('reports a refusal and a truncated answer by their stop reasons', async () => {
    fake.script(
      anthropicMessage({ text: 'I can’t help with that.', stopReason: 'refusal' }),
      anthropicMessage({ text: 'The answer is', stopReason: 'max_tokens' }),
    );
    expect((await ask([{ role: 'user', content: 'x' }])).stopReason).toBe('refusal');
    expect((await ask([{ role: 'user', content: 'y' }])).stopReason).toBe('max_tokens');
  });

  it('passes an invented tool name through, for the engine to answer as unknown', async () => {
    fake.script(anthropicMessage({ toolUses: [{ name: 'delete_all_orders', input: {} }] }));
    const completion = await ask([{ role: 'user', content: 'Delete everything' }]);
    expect(completion.toolCalls.map((call) => call.name)).toEqual(['delete_all_orders']);
  });

  it('classifies 429 with its retry-after, 529 as overloaded, 500 as a server error, 400 as our own fault', async () => {
    fake.script(
      anthropicError(429, 'rate_limit_error', 'Number of requests has exceeded your rate limit', {
        'retry-after': '7',
      }),
      anthropicError(529, 'overloaded_error', 'Overloaded'),
      anthropicError(500, 'api_error', 'Internal server error'),
      anthropicError(400, 'invalid_request_error', 'max_tokens: too large'),
    );
    const failure = async () => ask([{ role: 'user', content: 'Hello' }]).catch((error: unknown) => error);
    const rateLimited = await failure();
    expect(rateLimited).toBeInstanceOf(ProviderError);
    expect(rateLimited).toMatchObject({
      kind: 'rate_limited',
      status: 429,
      retryAfterMs: 7_000,
      retryable: true,
    });
    expect(await failure()).toMatchObject({ kind: 'overloaded', status: 529, retryable: true });
    expect(await failure()).toMatchObject({ kind: 'server', status: 500, retryable: true });
    expect(await failure()).toMatchObject({
      kind: 'bad_request',
      status: 400,
      retryable: false,
      fallbackAllowed: false,
    });
    // The SDK's own retries are off: one request per call, the caller decides about the next.
    expect(fake.requests).toHaveLength(4);
  });

  it('would be refused by the fake, as by the real API, if a tool_use went unanswered', async () => {
    const error = await ask([
      { role: 'user', content: 'Where is A1001?' },
      {
        role: 'assistant',
        content: '',
        toolCalls: [{ id: 'toolu_9', name: 'get_order_status', arguments: {} }],
      },
      { role: 'user', content: 'Hello?' },
    ]).catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ kind: 'bad_request', status: 400 });
  });
});
