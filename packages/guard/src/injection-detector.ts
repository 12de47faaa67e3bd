import { classifierProbability } from './injection-classifier.ts';
import {
  CLASSIFIER_WEIGHTS,
  FLAG_THRESHOLD,
  INJECTION_RULES,
  type InjectionRule,
  type TextSource,
} from './injection-rules.ts';
import { normalizeForDetection, undoLeetspeak } from './normalize.ts';

export interface InjectionFinding {
  /** The sum of the weights of the rules that matched (each rule once). */
  score: number;
  flagged: boolean;
  /** Ids of the rules that matched, strongest first. */
  rules: string[];
}

/** Text past this length is not read: a tool result that long is cut before the model anyway. */
const MAX_SCANNED_CHARACTERS = 50_000;

/** The rules with their `g` flag dropped, so that matching never depends on a previous call's lastIndex. */
const RULES = INJECTION_RULES.map((rule) => ({
  ...rule,
  pattern: new RegExp(rule.pattern.source, rule.pattern.flags.replace('g', '')),
}));

/** Findings of recent texts: a tool result is scored again at every later step of its turn. */
const recent = new Map<string, InjectionFinding>();
const RECENT_CAPACITY = 2_000;

/**
 * Scores text for signs that it tries to steer the agent: rules over a normalised reading (NFKC,
 * no invisible characters, homoglyphs folded, spaced letters joined) and a leetspeak-undone one,
 * plus a small local classifier's vote. Deterministic and fast (regular expressions with bounded
 * repetition and one sparse dot product), so it runs on every user message and every tool output
 * without a model call.
 */
export function detectInjection(text: string, source: TextSource): InjectionFinding {
  const key = `${source}\u0000${text}`;
  const known = recent.get(key);
  if (known) return known;
  const finding = score(text, source);
  if (recent.size >= RECENT_CAPACITY) recent.delete(recent.keys().next().value as string);
  recent.set(key, finding);
  return finding;
}

function score(text: string, source: TextSource): InjectionFinding {
  const raw = text.length > MAX_SCANNED_CHARACTERS ? text.slice(0, MAX_SCANNED_CHARACTERS) : text;
  const normalized = normalizeForDetection(raw);
  const leet = undoLeetspeak(normalized);
  const matched: { id: string; weight: number }[] = [];
  for (const rule of RULES) {
    const match = firstMatch(rule, raw, normalized, leet);
    if (match === undefined) continue;
    const weight = rule.weight[source] * (rule.scale?.(match) ?? 1);
    if (weight > 0) matched.push({ id: rule.id, weight });
  }
  const probability = classifierProbability(normalized);
  const vote = CLASSIFIER_WEIGHTS.find((step) => probability >= step.probability);
  if (vote) matched.push({ id: 'classifier', weight: vote.weight });
  matched.sort((a, b) => b.weight - a.weight);
  const score = Math.round(matched.reduce((sum, rule) => sum + rule.weight, 0) * 100) / 100;
  return { score, flagged: score >= FLAG_THRESHOLD, rules: matched.map((rule) => rule.id) };
}

function firstMatch(rule: InjectionRule, raw: string, normalized: string, leet: string): string | undefined {
  if (rule.raw) return rule.pattern.exec(raw)?.[0];
  const match = rule.pattern.exec(normalized)?.[0];
  if (match !== undefined || !rule.leet || leet === normalized) return match;
  return rule.pattern.exec(leet)?.[0];
}

/** Every string inside a JSON value (keys too: an attacker may hide text in a key). */
export function stringsIn(value: unknown, depth = 0, into: string[] = []): string[] {
  if (typeof value === 'string') into.push(value);
  else if (depth <= 32 && value !== null && typeof value === 'object') {
    if (Array.isArray(value)) for (const item of value) stringsIn(item, depth + 1, into);
    else
      for (const [key, item] of Object.entries(value)) {
        if (key.length > 24) into.push(key);
        stringsIn(item, depth + 1, into);
      }
  }
  return into;
}
