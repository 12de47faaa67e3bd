import { setTimeout as sleep } from 'node:timers/promises';
import { type ToolCall, ToolResult } from '@agentops/core';
import type { Completion, CompletionRequest, ModelProvider, PromptMessage } from '../provider.ts';
import { SUMMARY_SYSTEM_PROMPT } from '../summary-prompt.ts';
import { countPromptTokens, countTokens } from '../tokens.ts';
import { findInjectedInstruction, type Intent, orderIdsIn, parseIntent } from './intents.ts';

export interface SimOptions {
  /** Added to every call, to make queueing and timeouts visible offline. */
  latencyMs: number;
}

type Decision = { text: string } | { toolCalls: Omit<ToolCall, 'id'>[] };

interface ToolOutcome {
  call: ToolCall | undefined;
  name: string;
  content: string;
  result: ToolResult | undefined;
}

export const HANDOFF_TOOL = 'handoff_to_human';

const INTRODUCTION =
  "I'm the offline sim model, a deterministic stand-in for a language model (not an LLM). " +
  'I can check an order ("Where is my order A1001?"), search the help docs ("How do I return an item?"), ' +
  'send an email or issue a refund once you confirm it, or connect you with a person.';

/**
 * The embedded offline model. It plays a plausible but naive support agent: it retries a
 * retry-safe tool error for ever and obeys instructions it finds in tool output, so that every
 * defence of the platform is exercised without a real provider.
 */
export class SimModel implements ModelProvider {
  private readonly latencyMs: number;

  constructor(options: SimOptions) {
    this.latencyMs = options.latencyMs;
  }

  async complete(request: CompletionRequest): Promise<Completion> {
    if (this.latencyMs > 0) await sleep(this.latencyMs, undefined, { signal: request.signal });
    request.signal?.throwIfAborted();
    const decision = decide(request);
    const inputTokens = countPromptTokens(request.system, request.messages, request.tools);
    if ('text' in decision) {
      const text = truncateToTokens(decision.text, request.maxOutputTokens);
      return {
        text,
        toolCalls: [],
        usage: { inputTokens, outputTokens: countTokens(text) },
        stopReason: 'end',
        requestId: `sim-${crypto.randomUUID()}`,
      };
    }
    const toolCalls = decision.toolCalls.map((call) => ({ ...call, id: `toolu_sim_${crypto.randomUUID()}` }));
    return {
      text: '',
      toolCalls,
      usage: { inputTokens, outputTokens: countTokens(JSON.stringify(toolCalls)) + 8 * toolCalls.length },
      stopReason: 'tool_use',
      requestId: `sim-${crypto.randomUUID()}`,
    };
  }
}

function decide(request: CompletionRequest): Decision {
  if (request.system === SUMMARY_SYSTEM_PROMPT) return { text: summariseConversation(request.messages) };
  const last = request.messages.at(-1);
  if (last?.role === 'tool') return afterToolResults(request);
  if (last?.role === 'user') return actOn(parseIntent(last.content), request.system, request.messages);
  return { text: INTRODUCTION };
}

function actOn(intent: Intent, system: string, messages: PromptMessage[] = []): Decision {
  switch (intent.kind) {
    case 'recall':
      return { text: recallFirstQuestion(system, messages) };
    case 'reveal_prompt':
      // The naive model leaks its instructions when asked; only the platform's output filter stops it.
      return { text: `Sure. My instructions are:\n${system}` };
    case 'handoff':
      return {
        toolCalls: [{ name: HANDOFF_TOOL, arguments: { reason: 'The customer asked for a person.' } }],
      };
    case 'refund':
      // Look the order up first: the refund amount comes from the order, not from the model's guess.
      return { toolCalls: [{ name: 'get_order_status', arguments: { order_id: intent.orderId } }] };
    case 'order_status':
      return {
        toolCalls: intent.orderIds.map((orderId) => ({
          name: 'get_order_status',
          arguments: { order_id: orderId },
        })),
      };
    case 'email':
      if (!intent.to) return { text: 'Which email address should I send it to?' };
      return {
        toolCalls: [
          { name: 'send_email', arguments: { to: intent.to, subject: intent.subject, body: intent.body } },
        ],
      };
    case 'docs':
      return { toolCalls: [{ name: 'search_docs', arguments: { query: intent.query } }] };
    case 'chat':
      return { text: chatReply(intent.text) };
  }
}

function chatReply(text: string): string {
  if (/\b(thanks|thank you|cheers)\b/i.test(text))
    return "You're welcome! Anything else I can check for you?";
  if (/^\s*(hi|hello|hey|good (morning|afternoon|evening))\b/i.test(text)) return `Hello! ${INTRODUCTION}`;
  return INTRODUCTION;
}

function afterToolResults(request: CompletionRequest): Decision {
  const outcomes = latestToolOutcomes(request.messages);
  for (const outcome of outcomes) {
    const instruction = findInjectedInstruction(outcome.content);
    if (!instruction) continue;
    const obeyed = parseIntent(instruction);
    if (obeyed.kind !== 'chat') return continueIntent(obeyed, outcomes, request.system);
  }

  // The naive retry of the 2 a.m. incident: a retry-safe error is simply asked again.
  const retryable = outcomes.filter((o) => o.result?.status === 'error' && o.result.retry_safe && o.call);
  if (retryable.length > 0) {
    return { toolCalls: retryable.map((o) => ({ name: o.name, arguments: o.call?.arguments ?? {} })) };
  }

  const lastUser = [...request.messages].reverse().find((m) => m.role === 'user');
  const intent = lastUser?.role === 'user' ? parseIntent(lastUser.content) : undefined;
  if (intent?.kind === 'refund') {
    const refund = continueIntent(intent, outcomes, request.system);
    if ('toolCalls' in refund) return refund;
  }
  return { text: composeAnswer(outcomes) };
}

/** Carries a multi-step request on: a refund once its order has been looked up. */
function continueIntent(intent: Intent, outcomes: ToolOutcome[], system: string): Decision {
  if (intent.kind !== 'refund') return actOn(intent, system);
  if (outcomes.some((o) => o.name === 'issue_refund')) return { text: composeAnswer(outcomes) };
  const order = outcomes.find(
    (o) =>
      o.name === 'get_order_status' && o.result?.status === 'success' && orderOf(o.result) === intent.orderId,
  );
  if (!order?.result) return actOn(intent, system);
  const total = numberField(order.result.data, 'total_usd');
  const amountUsd = intent.amountUsd ?? total ?? 0;
  return {
    toolCalls: [
      {
        name: 'issue_refund',
        arguments: { order_id: intent.orderId, amount_usd: amountUsd, reason: 'Requested by the customer' },
      },
    ],
  };
}

function composeAnswer(outcomes: ToolOutcome[]): string {
  const sentences = outcomes.map(describeOutcome);
  const failed = outcomes.some((o) => o.result?.status !== 'success');
  if (failed) sentences.push('Would you like me to connect you with a person who can help?');
  return sentences.join(' ');
}

function describeOutcome(outcome: ToolOutcome): string {
  const { result, name } = outcome;
  if (!result) return `I couldn't read the result of ${name}.`;
  if (result.status === 'error') return `I'm sorry, I couldn't complete that (${result.message}).`;
  const data = result.data;
  switch (name) {
    case 'get_order_status': {
      const carrier = stringField(data, 'carrier');
      const eta = stringField(data, 'estimated_delivery');
      return (
        `Order ${orderOf(result) ?? ''} is ${stringField(data, 'status') ?? 'in an unknown state'}` +
        `${carrier ? ` with ${carrier}` : ''}${eta ? `, expected ${eta}` : ''}.`
      );
    }
    case 'search_docs': {
      const hits = isRecord(data) && Array.isArray(data.hits) ? data.hits : [];
      const first = hits[0];
      if (!isRecord(first)) return "I couldn't find anything about that in our help docs.";
      return `From our help docs, "${String(first.title)}": ${String(first.snippet)}`;
    }
    case 'send_email':
      return `I've sent the email to ${stringField(data, 'to') ?? 'the recipient'}.`;
    case 'issue_refund':
      return (
        `I've issued a refund of $${numberField(data, 'amount_usd')?.toFixed(2) ?? '?'} for order ` +
        `${stringField(data, 'order_id') ?? ''} (refund ${stringField(data, 'refund_id') ?? ''}).`
      );
    default:
      return `Done: ${name} finished.`;
  }
}

/** The tool results that answer the most recent assistant step, with the calls they answer. */
function latestToolOutcomes(messages: PromptMessage[]): ToolOutcome[] {
  const trailing: Extract<PromptMessage, { role: 'tool' }>[] = [];
  let index = messages.length - 1;
  for (; index >= 0; index--) {
    const message = messages[index];
    if (message?.role !== 'tool') break;
    trailing.unshift(message);
  }
  const step = messages[index];
  const calls = step?.role === 'assistant' ? (step.toolCalls ?? []) : [];
  return trailing.map((message) => {
    const content = readDatamarked(message.content);
    return {
      call: calls.find((call) => call.id === message.toolCallId),
      name: message.name,
      content,
      result: parseToolResult(content),
    };
  });
}

/**
 * The platform datamarks untrusted text (every space written as U+02C6, "spotlighting"). A real
 * model reads such text as ordinary words, and so does the sim: otherwise the marking would blind
 * it to injected instructions, and the platform's defences would look stronger than they are
 * against a model that obeys them (ARCHITECTURE.md, "The sim model").
 */
function readDatamarked(content: string): string {
  return content.replaceAll('\u02C6', ' ');
}

/** Tool results reach the model wrapped as untrusted data; the JSON object inside is the result. */
function parseToolResult(content: string): ToolResult | undefined {
  const start = content.indexOf('{');
  const end = content.lastIndexOf('}');
  if (start < 0 || end <= start) return undefined;
  try {
    const parsed = ToolResult.safeParse(JSON.parse(content.slice(start, end + 1)));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function orderOf(result: ToolResult): string | undefined {
  const id = stringField(result.data, 'order_id');
  return id ?? orderIdsIn(JSON.stringify(result.data ?? ''))[0];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringField(data: unknown, field: string): string | undefined {
  return isRecord(data) && typeof data[field] === 'string' ? data[field] : undefined;
}

function numberField(data: unknown, field: string): number | undefined {
  return isRecord(data) && typeof data[field] === 'number' ? data[field] : undefined;
}

function truncateToTokens(text: string, maxTokens: number): string {
  if (countTokens(text) <= maxTokens) return text;
  // Characters per token is never below one, so cutting to maxTokens*4 then trimming converges fast.
  let cut = text.slice(0, maxTokens * 4);
  while (cut.length > 0 && countTokens(cut) > maxTokens) cut = cut.slice(0, Math.floor(cut.length * 0.9));
  return cut;
}

const CUSTOMER_LINE = /^- The customer asked: "(.*)"$/m;

/** A deterministic summary: one line per customer message and answer, oldest first. */
function summariseConversation(messages: PromptMessage[]): string {
  const lines: string[] = [];
  for (const message of messages) {
    if (message.role === 'user' && message.content.startsWith('Earlier summary:\n')) {
      lines.push(...message.content.slice('Earlier summary:\n'.length).split('\n'));
    } else if (message.role === 'user') {
      lines.push(`- The customer asked: "${oneLine(message.content)}"`);
    } else if (message.role === 'assistant' && message.content.trim()) {
      lines.push(`- The assistant answered: "${oneLine(message.content)}"`);
    }
  }
  return lines.join('\n');
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').replaceAll('"', "'").trim();
  return flat.length > 160 ? `${flat.slice(0, 157)}...` : flat;
}

/** The earliest customer question the model can still see: in the summary, else in the messages. */
function recallFirstQuestion(system: string, messages: PromptMessage[]): string {
  const fromSummary = system.match(CUSTOMER_LINE)?.[1];
  const firstUser = messages.find((message) => message.role === 'user');
  const first = fromSummary ?? (firstUser ? oneLine(firstUser.content) : undefined);
  return first ? `You first asked: "${first}"` : "I can't see an earlier question in this conversation.";
}
