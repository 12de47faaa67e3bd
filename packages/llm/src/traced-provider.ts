import { ATTR, SPAN, withSpan } from '@agentops/telemetry';
import { callCostMicros } from './catalogue.ts';
import type { Completion, CompletionRequest, ModelProvider } from './provider.ts';

/**
 * A provider whose every call is an `llm.completion` span with the GenAI semantic-convention
 * attributes plus its cost and latency (invariant 9). Wrapping the provider, not the call site,
 * puts summaries, fallbacks and retries in the trace and the burn metrics as well as turn steps.
 */
export class TracedModelProvider implements ModelProvider {
  private readonly inner: ModelProvider;

  constructor(inner: ModelProvider) {
    this.inner = inner;
  }

  complete(request: CompletionRequest): Promise<Completion> {
    const { model } = request;
    return withSpan(
      SPAN.llmCompletion,
      {
        [ATTR.genAiOperation]: 'chat',
        [ATTR.genAiSystem]: model.provider,
        [ATTR.genAiProvider]: model.provider,
        [ATTR.genAiRequestModel]: model.id,
        [ATTR.genAiMaxTokens]: request.maxOutputTokens,
      },
      async (span) => {
        const started = performance.now();
        const completion = await this.inner.complete(request);
        span.setAttributes({
          [ATTR.genAiResponseModel]: model.id,
          [ATTR.genAiInputTokens]: completion.usage.inputTokens,
          [ATTR.genAiOutputTokens]: completion.usage.outputTokens,
          [ATTR.genAiFinishReasons]: [completion.stopReason],
          [ATTR.llmCostUsd]: callCostMicros(model, completion.usage) / 1_000_000,
          [ATTR.llmLatencyMs]: Math.round(performance.now() - started),
          ...(completion.requestId ? { [ATTR.genAiResponseId]: completion.requestId } : {}),
        });
        return completion;
      },
    );
  }
}

/** Wraps every provider of a process (the router wires this once). */
export function traceModelProviders<Name>(
  providers: ReadonlyMap<Name, ModelProvider>,
): Map<Name, ModelProvider> {
  return new Map([...providers].map(([name, provider]) => [name, new TracedModelProvider(provider)]));
}
