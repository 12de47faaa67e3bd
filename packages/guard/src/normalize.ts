import { DATAMARK } from './datamark.ts';

/**
 * Characters a reader never sees: zero-width spaces and joiners, word joiners, the byte-order
 * mark, bidirectional overrides and Unicode tag characters. Attackers use them to hide text from
 * a person while a model still reads it, or to split a phrase so that a rule does not match it.
 */
export const INVISIBLE_CHARACTERS =
  /[\u200B-\u200F\u2060-\u2064\uFEFF\u202A-\u202E\u2066-\u2069\u{E0000}-\u{E007F}]/gu;

/** Cyrillic and Greek letters that look like Latin ones (the usual homoglyph substitutions). */
const HOMOGLYPHS: Record<string, string> = {
  а: 'a',
  е: 'e',
  о: 'o',
  р: 'p',
  с: 'c',
  у: 'y',
  х: 'x',
  і: 'i',
  ј: 'j',
  ѕ: 's',
  ԁ: 'd',
  һ: 'h',
  А: 'A',
  В: 'B',
  Е: 'E',
  К: 'K',
  М: 'M',
  Н: 'H',
  О: 'O',
  Р: 'P',
  С: 'C',
  Т: 'T',
  Х: 'X',
  І: 'I',
  α: 'a',
  ο: 'o',
  ε: 'e',
  ι: 'i',
  ν: 'v',
  ρ: 'p',
  τ: 't',
  Α: 'A',
  Ε: 'E',
  Ι: 'I',
  Ο: 'O',
  Τ: 'T',
};
const HOMOGLYPH = new RegExp(`[${Object.keys(HOMOGLYPHS).join('')}]`, 'g');

/** "i g n o r e" or "i.g.n.o.r.e": four or more single letters joined by one separator each. */
const SPACED_LETTERS = /\b(?:[A-Za-z][ ._*-]){3,}[A-Za-z]\b/g;

/** Digits and symbols standing in for letters inside words ("1gn0re", "instruct1ons"). */
const LEET: Record<string, string> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '@': 'a',
  $: 's',
};
const LEET_WORD = /\b(?=[A-Za-z0-9@$]*[A-Za-z])(?=[A-Za-z0-9@$]*[013457@$])[A-Za-z0-9@$]{4,}\b/g;

const BASE64_RUN = /[A-Za-z0-9+/]{24,}={0,2}/g;

/**
 * The text as the detector reads it: NFKC (full-width and styled letters become plain ones),
 * datamarks and invisible characters removed, homoglyphs folded to Latin, spaced-out words joined,
 * and any base64 run that decodes to readable text appended in clear, so that an instruction
 * cannot hide by being encoded.
 */
export function normalizeForDetection(text: string): string {
  const normalized = text
    .normalize('NFKC')
    .replaceAll(DATAMARK, ' ')
    .replace(INVISIBLE_CHARACTERS, '')
    .replace(HOMOGLYPH, (letter) => HOMOGLYPHS[letter] ?? letter)
    .replace(SPACED_LETTERS, (run) => run.replace(/[ ._*-]/g, ''));
  const decoded = [...normalized.matchAll(BASE64_RUN)].flatMap(([run]) => readableBase64(run));
  return decoded.length === 0 ? normalized : `${normalized}\n${decoded.join('\n')}`;
}

/** The decoded text of a base64 run when it is mostly printable ASCII (an encoded sentence), else nothing. */
function readableBase64(run: string): string[] {
  const decoded = Buffer.from(run, 'base64').toString('latin1');
  const printable = decoded.replace(/[^\x20-\x7E]/g, '').length;
  return printable >= decoded.length * 0.95 && /[a-z]{3,} [a-z]{2,}/i.test(decoded) ? [decoded] : [];
}

/** A second reading with leetspeak undone; kept apart because it would garble order ids and amounts. */
export function undoLeetspeak(normalized: string): string {
  return normalized.replace(LEET_WORD, (word) => word.replace(/[013457@$]/g, (c) => LEET[c] ?? c));
}
