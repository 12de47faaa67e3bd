/**
 * An index of protected texts (system prompts) by every run of `SPAN_WORDS` consecutive words, so
 * that any text can be checked for a verbatim copy of a long span in one pass over its words.
 * Words are compared case-, punctuation- and spacing-blind: reformatting does not hide a copy.
 */
export class VerbatimSpans {
  static readonly SPAN_WORDS = 8;
  private readonly shingles = new Set<string>();

  constructor(texts: readonly string[] = []) {
    for (const text of texts) this.add(text);
  }

  get size(): number {
    return this.shingles.size;
  }

  add(text: string): void {
    const words = wordsOf(text);
    for (let start = 0; start + VerbatimSpans.SPAN_WORDS <= words.length; start++) {
      this.shingles.add(words.slice(start, start + VerbatimSpans.SPAN_WORDS).join(' '));
    }
  }

  contains(text: string): boolean {
    if (this.shingles.size === 0) return false;
    const words = wordsOf(text);
    for (let start = 0; start + VerbatimSpans.SPAN_WORDS <= words.length; start++) {
      if (this.shingles.has(words.slice(start, start + VerbatimSpans.SPAN_WORDS).join(' '))) return true;
    }
    return false;
  }
}

function wordsOf(text: string): string[] {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/['’]/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0);
}
