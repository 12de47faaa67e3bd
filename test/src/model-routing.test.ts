import {
  anthropicMessage,
  type FakeProviderServer,
  openaiCompletion,
  openaiError,
  startFakeAnthropic,
  startFakeOpenAI,
} from '@agentops/llm/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startPlatform, type TestPlatform } from './platform.ts';

/**
 * The router against real provider protocols: the official SDKs inside the router process talk to
 * local fakes of the Anthropic Messages API and of an OpenAI-compatible server (as Ollama would be).
 * Enabled: claude-haiku/sonnet/opus (anthropic) and local-small (openai_compatible, priced at zero).
 */
let platform: TestPlatform;
let anthropic: FakeProviderServer;
let local: FakeProviderServer;

beforeAll(async () => {
  anthropic = await startFakeAnthropic();
  local = await startFakeOpenAI();
  platform = await startPlatform({
    env: {
      ANTHROPIC_API_KEY: 'sk-ant-e2e',
      ANTHROPIC_BASE_URL: anthropic.url,
      OPENAI_BASE_URL: local.url,
      MODEL_MAX_ATTEMPTS: '2',
      MODEL_RETRY_BASE_MS: '20',
      MODEL_TIMEOUT_MS: '5000',
    },
  });
});
afterAll(async () => {
  await platform?.stop();
  await anthropic?.close();
  await local?.close();
});
beforeEach(() => {
  anthropic.requests.length = 0;
  local.requests.length = 0;
});

const routedLines = () =>
  platform.logs.filter((entry) => entry.line.msg === 'model routed').map((entry) => entry.line);

describe('routing over real provider protocols', () => {
  it('enables the configured providers only, not the sims', () => {
    const ready = platform.logs.find((entry) => entry.service === 'router' && entry.line.msg === 'ready');
    expect(ready?.line.providers).toEqual(['anthropic', 'openai_compatible']);
    expect(ready?.line.models).not.toContain('sim-small');
  });

  it('falls back to Claude of the same tier when the local server keeps failing', async () => {
    local.script(
      openaiError(503, 'model is loading', 'server_error'),
      openaiError(503, 'model is loading', 'server_error'),
    );
    anthropic.script(anthropicMessage({ text: 'Hello! How can I help you today?' }));
    const session = await platform.client.createSession({ userId: 'fallback' });
    const { body: turn } = await platform.client.postTurn(session.sessionId, 'Hello there', { wait: 30 });
    expect(turn.status).toBe('completed');
    expect(turn.reply).toBe('Hello! How can I help you today?');
    expect(turn.model).toBe('claude-haiku-4-5');
    expect(local.requests).toHaveLength(2);
    expect(anthropic.requests[0]?.body.model).toBe('claude-haiku-4-5');
    expect(routedLines().at(-1)).toMatchObject({ model: 'claude-haiku-4-5', fallbackFrom: 'local-small' });
  });

  it('steps up a tier after the model invents a tool and then sends broken arguments', async () => {
    local.script(
      openaiCompletion({ toolCalls: [{ name: 'lookup_everything', arguments: '{}' }] }),
      openaiCompletion({ toolCalls: [{ name: 'get_order_status', arguments: '{"order_id": "A10' }] }),
    );
    anthropic.script(
      anthropicMessage({ text: 'Could you confirm your order number?', model: 'claude-sonnet-4-6' }),
    );
    const session = await platform.client.createSession({ userId: 'stepup' });
    const { body: turn } = await platform.client.postTurn(session.sessionId, 'Where is my order?', {
      wait: 30,
    });
    expect(turn.status).toBe('completed');
    expect(turn.model).toBe('claude-sonnet-4-6');
    expect(anthropic.requests.map((request) => request.body.model)).toEqual(['claude-sonnet-4-6']);
    // The larger model sees the two failed calls answered, as the Messages API requires.
    const messages = anthropic.requests[0]?.body.messages as { role: string; content: { type: string }[] }[];
    expect(messages.flatMap((message) => message.content.map((block) => block.type))).toEqual([
      'text',
      'tool_use',
      'tool_result',
      'tool_use',
      'tool_result',
    ]);
    expect(routedLines().at(-1)?.reason).toMatch(/stepped up to medium after 2 failed model steps/);
  });
});
