import { randomUUID } from 'node:crypto';
import { FakeProviderServer, type RecordedRequest, type ScriptedReply } from './fake-provider-server.ts';

/**
 * A fake of the OpenAI chat completions API (`POST /v1/chat/completions`), as OpenAI and the
 * compatible servers (Ollama, vLLM) speak it: `tool_calls` whose arguments are a JSON string the
 * model wrote, usage with cached tokens, and a 400 when a tool call is left without its answer.
 */
export function startFakeOpenAI(): Promise<FakeProviderServer> {
  return FakeProviderServer.start({
    basePath: '/v1',
    check: checkChatRequest,
    unscripted: () => openaiError(500, 'the fake had no scripted answer', 'server_error'),
  });
}

export interface OpenAIToolCallReply {
  name: string;
  /** The raw string the model wrote; not necessarily JSON. */
  arguments: string;
  id?: string;
}

export function openaiCompletion(answer: {
  text?: string;
  toolCalls?: OpenAIToolCallReply[];
  refusal?: string;
  finishReason?: 'stop' | 'tool_calls' | 'length' | 'content_filter';
  usage?: { prompt?: number; completion?: number; cached?: number } | null;
  model?: string;
}): ScriptedReply {
  const prompt = answer.usage?.prompt ?? 120;
  const completion = answer.usage?.completion ?? 25;
  return {
    headers: { 'x-request-id': `req_${randomUUID().replaceAll('-', '')}` },
    body: {
      id: `chatcmpl-${randomUUID().replaceAll('-', '').slice(0, 24)}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: answer.model ?? 'gpt-5.4-mini',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: answer.text ?? null,
            refusal: answer.refusal ?? null,
            annotations: [],
            ...(answer.toolCalls?.length
              ? {
                  tool_calls: answer.toolCalls.map((call) => ({
                    id: call.id ?? `call_${randomUUID().replaceAll('-', '').slice(0, 24)}`,
                    type: 'function',
                    function: { name: call.name, arguments: call.arguments },
                  })),
                }
              : {}),
          },
          logprobs: null,
          finish_reason: answer.finishReason ?? (answer.toolCalls?.length ? 'tool_calls' : 'stop'),
        },
      ],
      ...(answer.usage === null
        ? {}
        : {
            usage: {
              prompt_tokens: prompt,
              completion_tokens: completion,
              total_tokens: prompt + completion,
              prompt_tokens_details: { cached_tokens: answer.usage?.cached ?? 0, audio_tokens: 0 },
              completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0 },
            },
          }),
      service_tier: 'default',
    },
  };
}

export function openaiError(
  status: number,
  message: string,
  type = 'invalid_request_error',
  headers: Record<string, string> = {},
): ScriptedReply {
  return {
    status,
    headers: { 'x-request-id': `req_${randomUUID().replaceAll('-', '')}`, ...headers },
    body: { error: { message, type, param: null, code: null } },
  };
}

function invalid(message: string, param: string | null = null) {
  return { status: 400, body: { error: { message, type: 'invalid_request_error', param, code: null } } };
}

function checkChatRequest(request: RecordedRequest) {
  if (request.method !== 'POST' || request.path !== '/v1/chat/completions') {
    return {
      status: 404,
      body: { error: { message: 'Not found', type: 'invalid_request_error', param: null, code: null } },
    };
  }
  const auth = request.headers.authorization;
  if (typeof auth !== 'string' || !auth.startsWith('Bearer ') || auth.length <= 'Bearer '.length) {
    return {
      status: 401,
      body: {
        error: {
          message: 'Missing bearer authentication',
          type: 'invalid_request_error',
          param: null,
          code: null,
        },
      },
    };
  }
  const { body } = request;
  if (typeof body.model !== 'string') return invalid('you must provide a model parameter', 'model');
  const messages = Array.isArray(body.messages) ? (body.messages as Record<string, unknown>[]) : [];
  if (messages.length === 0) return invalid("'messages' must contain at least one message", 'messages');
  let open: string[] = [];
  for (const [index, message] of messages.entries()) {
    if (message.role === 'tool') {
      const id = String(message.tool_call_id);
      if (!open.includes(id)) {
        return invalid(
          `Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.`,
          `messages.[${index}].role`,
        );
      }
      open = open.filter((openId) => openId !== id);
      continue;
    }
    if (open.length > 0) {
      return invalid(
        `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${open.join(', ')}`,
        `messages.[${index}].role`,
      );
    }
    const calls = Array.isArray(message.tool_calls)
      ? (message.tool_calls as { id: string; function?: { arguments?: unknown } }[])
      : [];
    for (const call of calls) {
      if (typeof call.function?.arguments !== 'string')
        return invalid('tool_calls.function.arguments must be a string', `messages.[${index}].tool_calls`);
    }
    open = calls.map((call) => call.id);
  }
  if (open.length > 0)
    return invalid(`tool_call_ids did not have response messages: ${open.join(', ')}`, 'messages');
  return undefined;
}
