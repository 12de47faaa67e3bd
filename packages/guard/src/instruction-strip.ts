import type { ToolResult } from '@agentops/core';
import { detectInjection, stringsIn } from './injection-detector.ts';

export const STRIPPED_PLACEHOLDER = '[removed by the platform: text that tried to instruct the assistant]';

/** Sentence ends, and line breaks, where a cut may fall. */
const SENTENCE_BREAK = /(?<=[.!?;:])\s+|\n+/;

/**
 * The `strip` policy: the result with the instruction cut out of every text that carries one, the
 * facts before it kept. A text is cut at the sentence that makes it read as an instruction, and
 * everything from there on goes (attackers put a harmless sentence first and the instruction
 * after it; a harmless-looking tail may be the rest of the instruction). If the result as a whole
 * still reads as one (an attack split across fields), every text with any sign of one is replaced.
 */
export function stripInstructions(result: ToolResult): ToolResult {
  let stripped = mapStrings(result, (text) => (isFlagged(text) ? cutInstruction(text) : text));
  if (isFlagged(stringsIn(stripped).join('\n'))) {
    stripped = mapStrings(stripped, (text) =>
      detectInjection(text, 'tool').score > 0 ? STRIPPED_PLACEHOLDER : text,
    );
  }
  return stripped;
}

function isFlagged(text: string): boolean {
  return detectInjection(text, 'tool').flagged;
}

function cutInstruction(text: string): string {
  const sentences = text.split(SENTENCE_BREAK);
  let kept = 0;
  while (kept < sentences.length && !isFlagged(sentences.slice(0, kept + 1).join(' '))) kept++;
  const prefix = sentences.slice(0, kept).join(' ').trim();
  return prefix.length === 0 ? STRIPPED_PLACEHOLDER : `${prefix} ${STRIPPED_PLACEHOLDER}`;
}

function mapStrings<T>(value: T, map: (text: string) => string, depth = 0): T {
  if (typeof value === 'string') return map(value) as T;
  if (depth > 32 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, map, depth + 1)) as T;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) copy[key] = mapStrings(item, map, depth + 1);
  return copy as T;
}
