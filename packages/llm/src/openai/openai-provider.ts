import type { ToolCall } from '@agentops/core';
import OpenAI from 'openai';
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
import { countPromptTokens, countTokens } from '../tokens.ts';

export interface OpenAISettings {
  /** `openai` for OpenAI itself; `openai_compatible` for Ollama, vLLM and other servers of the same API. */
  provider: 'openai' | 'openai_compatible';
  apiKey: string;
  baseURL: string;
  timeoutMs: number;
}

type ChatMessage = OpenAI.Chat.ChatCompletionMessageParam;

/** The parts of a chat completion we read, checked: compatible servers differ in the details. */
const ChatAnswer = z.object({
  id: z.string().optional(),
  choices: z
    .array(
      z.object({
        finish_reason: z.string().nullish(),
        message: z.object({
          content: z.string().nullish(),
          refusal: z.string().nullish(),
          tool_calls: z
            .array(
              z.object({
                id: z.string(),
                type: z.string().optional(),
                function: z.object({ name: z.string(), arguments: z.string().nullish() }).optional(),
              }),
            )
            .nullish(),
        }),
      }),
    )
    .min(1),
  usage: z
    .object({
      prompt_tokens: z.number().int().nonnegative(),
      completion_tokens: z.number().int().nonnegative(),
      prompt_tokens_details: z.object({ cached_tokens: z.number().int().nonnegative().nullish() }).nullish(),
    })
    .nullish(),
});

const STOP_REASONS: Record<string, StopReason> = {
  stop: 'end',
  tool_calls: 'tool_use',
  function_call: 'tool_use',
  length: 'max_tokens',
  content_filter: 'refusal',
};

/** Bounds what a garbled argument string may add to the history and the next prompt. */
const MAX_INVALID_ARGUMENTS_CHARS = 2_000;

/** OpenAI chat completions with tools, over the official SDK; also any OpenAI-compatible server. */
export class OpenAIProvider implements ModelProvider {
  private readonly client: OpenAI;
  private readonly provider: OpenAISettings['provider'];
  private readonly timeoutMs: number;

  constructor(settings: OpenAISettings) {
    this.provider = settings.provider;
    this.timeoutMs = settings.timeoutMs;
    this.client = new OpenAI({
      apiKey: settings.apiKey,
      baseURL: settings.baseURL,
      // Never the OPENAI_ORG_ID / OPENAI_PROJECT_ID of whoever runs the process by accident.
      organization: null,
      project: null,
      // Retries belong to the caller, which honours retry-after and then changes provider.
      maxRetries: 0,
      timeout: settings.timeoutMs,
    });
  }

  async complete(request: CompletionRequest): Promise<Completion> {
    let answer: unknown;
    let requestId: string | null | undefined;
    try {
      const completion = await this.client.chat.completions.create(
        {
          model: request.model.model,
          messages: toOpenAIMessages(request.system, request.messages),
          ...(request.tools.length > 0 ? { tools: request.tools.map(toOpenAITool) } : {}),
          // OpenAI's reasoning models accept only max_completion_tokens; most compatible servers
          // (Ollama, older vLLM) know only max_tokens.
          ...(this.provider === 'openai'
            ? { max_completion_tokens: request.maxOutputTokens }
            : { max_tokens: request.maxOutputTokens }),
        },
        { signal: request.signal ?? null, timeout: this.timeoutMs },
      );
      answer = completion;
      requestId = completion._request_id;
    } catch (error) {
      throw providerErrorFromSdk(error, this.provider, OpenAI);
    }
    return this.readAnswer(answer, requestId, request);
  }

  private readAnswer(answer: unknown, requestId: string | null | undefined, request: CompletionRequest) {
    const parsed = ChatAnswer.safeParse(answer);
    if (!parsed.success) {
      throw new ProviderError('bad_response', `unexpected chat completion: ${parsed.error.message}`, {
        provider: this.provider,
      });
    }
    const choice = parsed.data.choices[0];
    if (!choice) throw new ProviderError('bad_response', 'no choice', { provider: this.provider });
    const { message } = choice;
    const toolCalls = (message.tool_calls ?? []).flatMap((call) =>
      call.function && (call.type ?? 'function') === 'function'
        ? [toolCallOf(call.id, call.function.name, call.function.arguments ?? '')]
        : [],
    );
    const refused = typeof message.refusal === 'string' && message.refusal.length > 0;
    const text = refused ? (message.refusal ?? '') : (message.content ?? '');
    const stopReason: StopReason = refused
      ? 'refusal'
      : (choice.finish_reason && STOP_REASONS[choice.finish_reason]) ||
        (toolCalls.length ? 'tool_use' : 'other');
    return {
      text,
      toolCalls,
      usage: this.usageOf(parsed.data.usage, request, text, toolCalls),
      stopReason,
      ...((requestId ?? parsed.data.id) ? { requestId: requestId ?? parsed.data.id } : {}),
    } satisfies Completion;
  }

  /**
   * OpenAI counts cached tokens inside prompt_tokens; we keep them apart so each is priced once.
   * Some compatible servers send no usage: then the tokenizer estimates it, because settling a
   * call at zero would let spend slip past the budget.
   */
  private usageOf(
    usage: z.infer<typeof ChatAnswer>['usage'],
    request: CompletionRequest,
    text: string,
    toolCalls: ToolCall[],
  ): Completion['usage'] {
    if (!usage) {
      return {
        inputTokens: countPromptTokens(request.system, request.messages, request.tools),
        outputTokens: countTokens(text) + countTokens(JSON.stringify(toolCalls.map((c) => c.arguments))),
      };
    }
    const cached = Math.min(usage.prompt_tokens_details?.cached_tokens ?? 0, usage.prompt_tokens);
    return {
      inputTokens: usage.prompt_tokens - cached,
      outputTokens: usage.completion_tokens,
      cacheReadTokens: cached,
    };
  }
}

/** Arguments arrive as a JSON string the model wrote; garbage is kept for the engine to refuse. */
function toolCallOf(id: string, name: string, raw: string): ToolCall {
  if (raw.trim() === '') return { id, name, arguments: {} };
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      return { id, name, arguments: parsed as Record<string, unknown> };
    }
  } catch {
    // falls through: not JSON
  }
  return { id, name, arguments: {}, invalidArguments: raw.slice(0, MAX_INVALID_ARGUMENTS_CHARS) };
}

function toOpenAITool(tool: ToolDefinition): OpenAI.Chat.ChatCompletionFunctionTool {
  return {
    type: 'function',
    function: { name: tool.name, description: tool.description, parameters: tool.inputSchema },
  };
}

export function toOpenAIMessages(system: string, messages: PromptMessage[]): ChatMessage[] {
  const out: ChatMessage[] = [{ role: 'system', content: system }];
  for (const message of messages) {
    switch (message.role) {
      case 'user':
        out.push({ role: 'user', content: message.content });
        break;
      case 'tool':
        out.push({ role: 'tool', tool_call_id: message.toolCallId, content: message.content });
        break;
      case 'assistant':
        out.push({
          role: 'assistant',
          content: message.content.length > 0 ? message.content : null,
          ...(message.toolCalls?.length
            ? {
                tool_calls: message.toolCalls.map((call) => ({
                  id: call.id,
                  type: 'function' as const,
                  function: {
                    name: call.name,
                    // Never the garbled string of an invalid call: some servers parse history
                    // arguments and would reject every later request of the session.
                    arguments: JSON.stringify(call.arguments),
                  },
                })),
              }
            : {}),
        });
        break;
    }
  }
  return out;
}
