/**
 * Datamarking ("spotlighting", Hines et al. 2024): every run of whitespace inside untrusted text
 * is replaced by a character that ordinary text never has, so that the model can tell, word by
 * word, which text came from a tool and not from its operator. U+02C6 (ˆ) is the character the
 * paper uses; it is not a quote, brace or backslash, so datamarked JSON stays valid JSON.
 */
export const DATAMARK = '\u02C6';

const WHITESPACE_RUN = /\s+/g;

export function datamark(text: string): string {
  return text.replace(WHITESPACE_RUN, DATAMARK);
}

/** A deep copy of a JSON value whose strings are datamarked; keys are left alone (they hold no spaces). */
export function datamarkStrings(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return datamark(value);
  if (depth > 32 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => datamarkStrings(item, depth + 1));
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) copy[key] = datamarkStrings(item, depth + 1);
  return copy;
}
