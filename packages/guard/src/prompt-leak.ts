import { CANARY_PATTERN } from '@agentops/core';
import { VerbatimSpans } from '@agentops/telemetry';

export type LeakEvidence = 'canary' | 'verbatim';

/**
 * Finds the system prompt in text that is about to leave the model's hands: the session's canary
 * (also spaced out, split by punctuation or in another case), any canary-shaped marker, or a run
 * of `VerbatimSpans.SPAN_WORDS` consecutive words of the agent's own prompt.
 */
export class PromptLeakDetector {
  private readonly spans: VerbatimSpans;

  constructor(systemPrompt: string) {
    this.spans = new VerbatimSpans([systemPrompt]);
  }

  find(text: string, canary: string): LeakEvidence | undefined {
    const compact = text.toUpperCase().replace(/[^A-Z0-9]/g, '');
    // The body alone: a model that drops the word CANARY or spaces the marker out still leaks it.
    if (compact.includes(canary.slice('CANARY-'.length))) return 'canary';
    if (new RegExp(CANARY_PATTERN.source).test(text)) return 'canary';
    return this.spans.contains(text) ? 'verbatim' : undefined;
  }
}
