import type { HistoryMessage } from '@agentops/core';

/** Exchanges (a user message and what followed it) kept verbatim after a summary. */
export const VERBATIM_EXCHANGES = 2;

/**
 * Where a new summary should end: the history index of the user message that starts the last
 * `VERBATIM_EXCHANGES` exchanges, or undefined when nothing new would be folded. Cutting at a
 * user message keeps every tool call with its result on one side of the cut.
 */
export function summaryCut(history: HistoryMessage[], alreadySummarized: number): number | undefined {
  const userIndexes = history.flatMap((message, index) => (message.role === 'user' ? [index] : []));
  const cut = userIndexes.at(-VERBATIM_EXCHANGES);
  if (cut === undefined || cut <= alreadySummarized) return undefined;
  return cut;
}
