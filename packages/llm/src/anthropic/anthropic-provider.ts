import type { ToolCall } from '@agentops/core';
import Anthropic from '@anthropic-ai/sdk';
import { z } from 'zod';
import { ProviderError } from '../errors.ts';
import type {
  Completion,
  CompletionRequest,
  ModelProvider,
  PromptMessage,
  StopReason,
  ToolDefinition,
} from '../provider.ts';
import { providerErrorFromSdk } from '../sdk-errors.ts';

export interface AnthropicSettings {
  apiKey: string;
  /** Where the Messages API is; the SDK's default (the public API) when undefined. */
  baseURL?: string;
  /** Per-attempt timeout the SDK announces and enforces; the caller also bounds the call. */
  timeoutMs: number;
}

type MessageParam = Anthropic.MessageParam;
type UserContent = Exclude<Anthropic.MessageParam['content'], string>;

/** The parts of a Messages API answer we read, checked: a proxy or a new API version may differ. */
const AnthropicAnswer = z.object({
  id: z.string(),
  content: z.array(
    z.union([
      z.object({ type: z.literal('text'), text: z.string() }),
      z.object({ type: z.literal('tool_use'), id: z.string(), name: z.string(), input: z.unknown() }),
      z.object({ type: z.string() }),
    ]),
  ),
  stop_reason: z.string().nullable(),
  usage: z.object({
    input_tokens: z.number().int().nonnegative().nullable(),
    output_tokens: z.number().int().nonnegative(),
    cache_creation_input_tokens: z.number().int().nonnegative().nullish(),
    cache_read_input_tokens: z.number().int().nonnegative().nullish(),
  }),
});

const STOP_REASONS: Record<string, StopReason> = {
  end_turn: 'end',
  stop_sequence: 'end',
  tool_use: 'tool_use',
  max_tokens: 'max_tokens',
  model_context_window_exceeded: 'max_tokens',
  refusal: 'refusal',
};

/** Claude over the official SDK's Messages API: tool_use and tool_result blocks, cache-aware usage. */
export class AnthropicProvider implements ModelProvider {
  private readonly client: Anthropic;
  private readonly timeoutMs: number;

  constructor(settings: AnthropicSettings) {
    this.timeoutMs = settings.timeoutMs;
    this.client = new Anthropic({
      apiKey: settings.apiKey,
      // Explicit, so that the SDK never falls back to a profile or environment of its own.
      baseURL: settings.baseURL ?? 'https://api.anthropic.com',
      // Retries belong to the caller, which honours retry-after and then changes provider.
      maxRetries: 0,
      timeout: settings.timeoutMs,
    });
  }

  async complete(request: CompletionRequest): Promise<Completion> {
    let answer: unknown;
    let requestId: string | null | undefined;
    try {
      const message = await this.client.messages.create(
        {
          model: request.model.model,
          max_tokens: request.maxOutputTokens,
          // The system prompt and tool list open every call of a session: cache that prefix.
          system: [{ type: 'text', text: request.system, cache_control: { type: 'ephemeral' } }],
          messages: toAnthropicMessages(request.messages),
          ...(request.tools.length > 0 ? { tools: request.tools.map(toAnthropicTool) } : {}),
        },
        { signal: request.signal ?? null, timeout: this.timeoutMs },
      );
      answer = message;
      requestId = message._request_id;
    } catch (error) {
      throw providerErrorFromSdk(error, 'anthropic', Anthropic);
    }
    return readAnswer(answer, requestId);
  }
}

function readAnswer(answer: unknown, requestId: string | null | undefined): Completion {
  const parsed = AnthropicAnswer.safeParse(answer);
  if (!parsed.success) {
    throw new ProviderError('bad_response', `unexpected Messages API answer: ${parsed.error.message}`, {
      provider: 'anthropic',
    });
  }
  const { content, stop_reason: stopReason, usage } = parsed.data;
  const text: string[] = [];
  const toolCalls: ToolCall[] = [];
  for (const block of content) {
    if ('text' in block && block.type === 'text') text.push(block.text);
    if ('input' in block && block.type === 'tool_use') toolCalls.push(toolCallOf(block));
  }
  return {
    text: text.join(''),
    toolCalls,
    usage: {
      inputTokens: usage.input_tokens ?? 0,
      outputTokens: usage.output_tokens,
      cacheReadTokens: usage.cache_read_input_tokens ?? 0,
      cacheWriteTokens: usage.cache_creation_input_tokens ?? 0,
    },
    stopReason: (stopReason && STOP_REASONS[stopReason]) || 'other',
    requestId: requestId ?? parsed.data.id,
  };
}

function toolCallOf(block: { id: string; name: string; input: unknown }): ToolCall {
  const input = block.input;
  if (typeof input === 'object' && input !== null && !Array.isArray(input)) {
    return { id: block.id, name: block.name, arguments: input as Record<string, unknown> };
  }
  // The API promises an object; anything else is kept visible so the engine answers it as invalid.
  return { id: block.id, name: block.name, arguments: {}, invalidArguments: JSON.stringify(input) ?? '' };
}

function toAnthropicTool(tool: ToolDefinition): Anthropic.Tool {
  return {
    name: tool.name,
    description: tool.description,
    input_schema: { type: 'object', ...tool.inputSchema } as Anthropic.Tool.InputSchema,
  };
}

/**
 * The Messages API wants user and assistant turns alternating, tool results as `tool_result`
 * blocks inside the next user turn, and no empty text block.
 */
export function toAnthropicMessages(messages: PromptMessage[]): MessageParam[] {
  const out: MessageParam[] = [];
  const appendUser = (blocks: UserContent) => {
    const last = out.at(-1);
    if (last?.role === 'user' && Array.isArray(last.content)) last.content.push(...blocks);
    else out.push({ role: 'user', content: blocks });
  };
  for (const message of messages) {
    switch (message.role) {
      case 'user':
        if (message.content.length > 0) appendUser([{ type: 'text', text: message.content }]);
        break;
      case 'tool':
        appendUser([{ type: 'tool_result', tool_use_id: message.toolCallId, content: message.content }]);
        break;
      case 'assistant': {
        const blocks: Anthropic.ContentBlockParam[] = [];
        if (message.content.length > 0) blocks.push({ type: 'text', text: message.content });
        for (const call of message.toolCalls ?? []) {
          blocks.push({ type: 'tool_use', id: call.id, name: call.name, input: call.arguments });
        }
        if (blocks.length === 0) break;
        const last = out.at(-1);
        if (last?.role === 'assistant' && Array.isArray(last.content)) last.content.push(...blocks);
        else out.push({ role: 'assistant', content: blocks });
        break;
      }
    }
  }
  return out;
}
