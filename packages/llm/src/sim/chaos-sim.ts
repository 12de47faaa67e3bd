import type { Completion, CompletionRequest, ModelProvider } from '../provider.ts';
import { countPromptTokens, countTokens } from '../tokens.ts';

/** The ways a misbehaving model fails, each of which the platform must survive. */
export const CHAOS_BEHAVIOURS = [
  'invalid_arguments',
  'unknown_tool',
  'malformed_json',
  'enormous_output',
  'empty_output',
  'endless_tool_calls',
] as const;
export type ChaosBehaviour = (typeof CHAOS_BEHAVIOURS)[number];

/**
 * The sim's chaos mode: with probability `rate` a call misbehaves in one of the ways above
 * instead of answering. Seeded, so a failing run can be replayed.
 */
export class ChaosSim implements ModelProvider {
  private readonly inner: ModelProvider;
  private readonly rate: number;
  private state: number;

  constructor(inner: ModelProvider, options: { rate: number; seed: number }) {
    this.inner = inner;
    this.rate = options.rate;
    this.state = options.seed >>> 0 || 1;
  }

  async complete(request: CompletionRequest): Promise<Completion> {
    if (this.random() >= this.rate) return this.inner.complete(request);
    const behaviour = CHAOS_BEHAVIOURS[Math.floor(this.random() * CHAOS_BEHAVIOURS.length)] ?? 'empty_output';
    return misbehave(behaviour, request);
  }

  /** xorshift32: tiny, deterministic, good enough to pick a misbehaviour. */
  private random(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state / 0x1_0000_0000;
  }
}

function misbehave(behaviour: ChaosBehaviour, request: CompletionRequest): Completion {
  const inputTokens = countPromptTokens(request.system, request.messages, request.tools);
  const id = `toolu_chaos_${crypto.randomUUID()}`;
  const withCalls = (toolCalls: Completion['toolCalls']): Completion => ({
    text: '',
    toolCalls,
    usage: { inputTokens, outputTokens: countTokens(JSON.stringify(toolCalls)) },
    stopReason: 'tool_use',
  });
  switch (behaviour) {
    case 'invalid_arguments':
      return withCalls([
        { id, name: 'get_order_status', arguments: { order_id: 42, extra: 'x'.repeat(50) } },
      ]);
    case 'unknown_tool':
      return withCalls([{ id, name: 'drop_all_tables', arguments: {} }]);
    case 'malformed_json':
      return withCalls([{ id, name: 'search_docs', arguments: {}, invalidArguments: '{"query": "refund' }]);
    case 'endless_tool_calls':
      return withCalls([{ id, name: 'search_docs', arguments: { query: `attempt ${crypto.randomUUID()}` } }]);
    case 'enormous_output': {
      // A model ignoring its allowance is cut at the allowance, as a provider would.
      const text = 'blah '.repeat(request.maxOutputTokens * 4);
      const cut = text.slice(0, request.maxOutputTokens * 3);
      return {
        text: cut,
        toolCalls: [],
        usage: { inputTokens, outputTokens: request.maxOutputTokens },
        stopReason: 'max_tokens',
      };
    }
    case 'empty_output':
      return { text: '', toolCalls: [], usage: { inputTokens, outputTokens: 0 }, stopReason: 'end' };
  }
}
