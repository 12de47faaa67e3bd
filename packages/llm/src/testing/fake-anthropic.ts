import { randomUUID } from 'node:crypto';
import { FakeProviderServer, type RecordedRequest, type ScriptedReply } from './fake-provider-server.ts';

/**
 * A fake of the Anthropic Messages API (`POST /v1/messages`): the answer and error shapes of the
 * public API, and the request rules that make the real API answer 400 (alternating roles, every
 * `tool_use` answered by a `tool_result` in the next user turn, valid tool names).
 */
export function startFakeAnthropic(): Promise<FakeProviderServer> {
  return FakeProviderServer.start({
    basePath: '',
    check: checkMessagesRequest,
    unscripted: () => anthropicError(500, 'api_error', 'the fake had no scripted answer'),
  });
}

export interface AnthropicToolUse {
  name: string;
  input: unknown;
  id?: string;
}

export function anthropicMessage(answer: {
  text?: string;
  toolUses?: AnthropicToolUse[];
  stopReason?: 'end_turn' | 'tool_use' | 'max_tokens' | 'refusal' | 'stop_sequence';
  usage?: { input?: number; output?: number; cacheRead?: number; cacheWrite?: number };
  model?: string;
}): ScriptedReply {
  const content: unknown[] = [];
  if (answer.text) content.push({ type: 'text', text: answer.text, citations: null });
  for (const use of answer.toolUses ?? []) {
    content.push({
      type: 'tool_use',
      id: use.id ?? `toolu_${randomUUID().replaceAll('-', '').slice(0, 24)}`,
      name: use.name,
      input: use.input,
    });
  }
  return {
    headers: { 'request-id': `req_${randomUUID().replaceAll('-', '')}` },
    body: {
      id: `msg_${randomUUID().replaceAll('-', '').slice(0, 24)}`,
      type: 'message',
      role: 'assistant',
      model: answer.model ?? 'claude-haiku-4-5',
      content,
      stop_reason: answer.stopReason ?? (answer.toolUses?.length ? 'tool_use' : 'end_turn'),
      stop_sequence: null,
      usage: {
        input_tokens: answer.usage?.input ?? 100,
        output_tokens: answer.usage?.output ?? 20,
        cache_creation_input_tokens: answer.usage?.cacheWrite ?? 0,
        cache_read_input_tokens: answer.usage?.cacheRead ?? 0,
        service_tier: 'standard',
      },
    },
  };
}

/** An error as the API sends it, e.g. (429, 'rate_limit_error'), (529, 'overloaded_error'). */
export function anthropicError(
  status: number,
  type: string,
  message: string,
  headers: Record<string, string> = {},
): ScriptedReply {
  return {
    status,
    headers: { 'request-id': `req_${randomUUID().replaceAll('-', '')}`, ...headers },
    body: { type: 'error', error: { type, message } },
  };
}

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,128}$/;

function invalid(message: string) {
  return { status: 400, body: { type: 'error', error: { type: 'invalid_request_error', message } } };
}

function checkMessagesRequest(request: RecordedRequest) {
  if (request.method !== 'POST' || request.path !== '/v1/messages') {
    return { status: 404, body: { type: 'error', error: { type: 'not_found_error', message: 'Not found' } } };
  }
  const auth = request.headers['x-api-key'] ?? request.headers.authorization;
  if (!auth) {
    return {
      status: 401,
      body: { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } },
    };
  }
  if (!request.headers['anthropic-version']) return invalid('anthropic-version: header is required');
  const { body } = request;
  if (typeof body.model !== 'string') return invalid('model: Field required');
  if (!Number.isInteger(body.max_tokens) || (body.max_tokens as number) < 1)
    return invalid('max_tokens: Field required');
  const tools = Array.isArray(body.tools) ? (body.tools as { name?: unknown; input_schema?: unknown }[]) : [];
  for (const tool of tools) {
    if (typeof tool.name !== 'string' || !TOOL_NAME.test(tool.name))
      return invalid('tools: invalid tool name');
    if (typeof tool.input_schema !== 'object') return invalid('tools: input_schema: Field required');
  }
  const messages = Array.isArray(body.messages)
    ? (body.messages as { role: string; content: unknown }[])
    : [];
  if (messages.length === 0) return invalid('messages: at least one message is required');
  let expectedToolResults: string[] = [];
  for (const [index, message] of messages.entries()) {
    if (message.role !== (index % 2 === 0 ? 'user' : 'assistant')) {
      return invalid(
        `messages.${index}: roles must alternate between "user" and "assistant", starting with "user"`,
      );
    }
    const blocks =
      typeof message.content === 'string'
        ? [{ type: 'text', text: message.content }]
        : (message.content as Record<string, unknown>[]);
    if (!Array.isArray(blocks) || blocks.length === 0)
      return invalid(`messages.${index}: content must be non-empty`);
    for (const block of blocks) {
      if (block.type === 'text' && block.text === '')
        return invalid(`messages.${index}: text content blocks must be non-empty`);
    }
    if (message.role === 'user') {
      const answered = blocks.filter((b) => b.type === 'tool_result').map((b) => String(b.tool_use_id));
      const missing = expectedToolResults.filter((id) => !answered.includes(id));
      if (missing.length > 0) {
        return invalid(
          `messages.${index}: tool_use ids were found without tool_result blocks immediately after: ${missing.join(', ')}`,
        );
      }
      const unknown = answered.filter((id) => !expectedToolResults.includes(id));
      if (unknown.length > 0)
        return invalid(
          `messages.${index}: unexpected tool_use_id found in tool_result blocks: ${unknown[0]}`,
        );
      expectedToolResults = [];
    } else {
      expectedToolResults = blocks.filter((b) => b.type === 'tool_use').map((b) => String(b.id));
      for (const block of blocks) {
        if (block.type === 'tool_use' && (typeof block.input !== 'object' || block.input === null)) {
          return invalid(`messages.${index}: tool_use.input: Input should be a valid dictionary`);
        }
      }
    }
  }
  return undefined;
}
