import { maskSecretValues } from '@agentops/core';
import { pino } from 'pino';
import { VerbatimSpans } from './verbatim-spans.ts';

/**
 * Field names whose values are credentials wherever they appear. Matched case-insensitively on
 * the last part of the name, so `apiKey`, `headers.authorization` and `db_password` all match.
 */
const SECRET_NAME =
  /(^|[._-])(authorization|api[_-]?key|apikey|key|password|passwd|secret|token|cookie|credentials?)$/i;

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
/**
 * A run of digits with the separators people write phone numbers with. Candidates are checked
 * again in `isPhoneNumber` so that dates, ids and amounts are left alone.
 */
const PHONE_CANDIDATE = /(?<![\w.-])\+?\(?\d[\d ().-]{6,}\d(?![\w-])/g;
const DATE_LIKE = /^\d{4}-\d{2}-\d{2}/;
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

const MAX_DEPTH = 8;

/** System prompts this process serves: a log line never carries a long verbatim span of one. */
const protectedPrompts = new VerbatimSpans();
export const PROMPT_WITHHELD = '[withheld: system prompt]';

/** Registers texts (the agents' system prompts) that must never appear in a log line. */
export function protectInLogs(texts: readonly string[]): void {
  for (const text of texts) protectedPrompts.add(text);
}

function isPhoneNumber(candidate: string): boolean {
  const digits = candidate.replace(/\D/g, '').length;
  if (digits < 9 || digits > 15) return false;
  if (DATE_LIKE.test(candidate) || IPV4.test(candidate)) return false;
  // A bare run of digits without a leading + is more often an id or an amount than a phone.
  return candidate.startsWith('+') || /[ ().-]/.test(candidate);
}

/** Masks e-mail addresses and phone numbers inside free text (a message, an error, an argument). */
export function redactContactDetails(text: string): string {
  if (text.length < 7) return text;
  return text
    .replace(EMAIL, '[email]')
    .replace(PHONE_CANDIDATE, (candidate) => (isPhoneNumber(candidate) ? '[phone]' : candidate));
}

/**
 * Free text as a log line may carry it: credential-shaped values and system-prompt canaries
 * masked, contact details masked, and the whole text withheld when it copies a long span of a
 * protected system prompt.
 */
export function redactText(text: string): string {
  if (text.length < 7) return text;
  if (text.length >= 40 && protectedPrompts.contains(text)) return PROMPT_WITHHELD;
  return redactContactDetails(maskSecretValues(text));
}

/**
 * A copy of a log object with credentials replaced by `[redacted]` (by field name), and secrets,
 * canaries, contact details and system-prompt copies masked in every string (by value). By value
 * because they hide in fields no list of paths can foresee: a tool's `args.to`, an error message
 * that quotes its input.
 */
export function redactLogObject(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object' || depth >= MAX_DEPTH) return value;
  if (value instanceof Error) return redactLogObject(pino.stdSerializers.err(value), depth + 1);
  if (Array.isArray(value)) return value.map((item) => redactLogObject(item, depth + 1));
  const copy: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(value)) {
    copy[name] =
      SECRET_NAME.test(name) && field !== undefined && field !== null && typeof field !== 'boolean'
        ? '[redacted]'
        : redactLogObject(field, depth + 1);
  }
  return copy;
}
