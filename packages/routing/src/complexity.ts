import type { ModelTier } from '@agentops/core';
import { countTokens } from '@agentops/llm';

/** What the router can see of a turn before any model has read it. */
export interface ComplexityInput {
  message: string;
  /** User and assistant messages already in the conversation. */
  conversationDepth: number;
  /** Tool errors seen earlier in this turn. */
  toolFailures: number;
}

export interface ComplexityEstimate {
  tier: ModelTier;
  score: number;
  /** The features that raised the score, for the routing reason stored on the turn. */
  signals: string[];
}

/**
 * Cues of work that needs judgement across many facts: a small model tends to answer these
 * confidently and wrongly, which costs more than the large model would have.
 */
const DEEP_WORK =
  /\b(root causes?|conflicting|trade-?offs?|reconcil\w*|due diligence|contradict\w*|synthesi[sz]\w*|postmortem|infring\w*|design-arounds?|deadlocks?|partition\w*|attribution|cohorts?|funnel|incremental|sensitiv\w+ to|article \d+|gdpr|consumer law|digital services act|bylaws|exclusions?|bias|defensible|unit economics|runway|playbook|decision tree|redlines?|deal ?breakers?|personas?|jobs to be done|journal entries|aged receivables|gaps-and-islands|slowly changing|recursive ctes?|explain analyze|execution plan|no downtime)\b/gi;

/** Verbs that ask for analysis rather than a lookup. */
const ANALYTIC =
  /\b(analy[sz]\w*|compar\w*|evaluat\w*|assess\w*|diagnos\w*|justify\w*|prioriti[sz]\w*|recommend\w*|propos\w*|design\w*|determine\w*|work out|identify\w*|estimate\w*|migrat\w*|review(?= (?:the|this|these|our|my))|decide\w*|validate\w*|reconstruct\w*|consolidat\w*|draft(?= (?:a|an|the))|rank\w*|explain\w*|why|what are my options|what can you do|which (?:one|applies))\b/gi;

/** Cues that the answer is a sequence of dependent steps. */
const MULTI_STEP =
  /\b(step by step|step-by-step|and then|then extend|first,? then|after that|walk (?:me )?through|each step|in order|side by side)\b/gi;

/** Writing that must be careful about tone or facts (replies, rulings, summaries with structure). */
const COMPOSE =
  /\b(summari[sz]\w*|reply|rewrite|handover|template|table|json|raci|faq|announcement|memo|ruling|inconsistenc\w*|mismatch\w*|differences?|risks?|obligations?|liable|assumptions?|limitations?|themes?|seasonality|classify these|group (?:these|them)|sentiment score)\b/gi;

const SQL_KEYWORD =
  /\b(select|insert|update|delete|join|group by|order by|where|having|cte|index|query|sql|postgres\w*|mysql|sqlite|bigquery|table)\b/gi;
/** SQL that needs more than one table or a window: joins, ranks within groups, running figures. */
const SQL_MULTI =
  /\b(join\w*|(?:in |for )?(?:each|every) \w+|per (?:\w+ )?(?:department|country|category|plan|month|channel|sku|day|week)|top \d+|rate per|second highest|running total|median|pivot|dedup\w*|upsert|week-over-week|month-over-month|first order of|never ordered|both product|gaps? in|self-referencing|view|window functions?|share paid|filter \(where|slow|deterministic|cohort)\b/gi;

/** Text in quotes: material the user pasted for the model to work on. */
const QUOTED = /'[^']{12,}'|"[^"]{12,}"|\u2018[^\u2019]{12,}\u2019|\u201c[^\u201d]{12,}\u201d/g;

/** Work across several documents or a long one. */
const SEVERAL_SOURCES =
  /\b(?:(?:two|three|four|five|six|seven|eight|nine|ten|\d+) (?:\w+ ){0,2}(?:versions|documents|contracts|reports|transcripts|papers|meetings|statements|descriptions|complaints|emails|sources|quotes)|\d+-page|data room)\b/gi;

/** Asks for a short answer, whatever the material. */
const SHORT_ANSWER = /\b(in one sentence|in a few words|one category|under \d+ words|one word)\b/i;

/** Asks for several separate pieces of output. */
const SEVERAL_OUTPUTS =
  /\b(?:two|three|four|five|six|\d+) (?:\w+ ){0,2}(?:entries|questions|items|points|sentences|options|reasons|examples|steps)\b/i;

const ENUMERATION = /(?:\(\d\)|\b\d\)|;\s|\?\s+\S)/g;

const TIERS: readonly ModelTier[] = ['small', 'medium', 'large'];

/** Score from which a turn needs the medium tier, and the large tier. */
export const MEDIUM_FROM = 2;
export const LARGE_FROM = 7;

function distinct(text: string, pattern: RegExp): string[] {
  return [...new Set((text.match(pattern) ?? []).map((hit) => hit.toLowerCase()))];
}

/**
 * A cheap, explainable complexity estimate from the turn's features: its length, how many things
 * it asks, analytic and multi-step cues, code or SQL, the conversation's depth and earlier tool
 * failures. It errs upwards: sending a hard turn to a small model costs a failed turn (and then a
 * larger model anyway), sending an easy one to a larger model costs only the price difference.
 */
export function estimateComplexity(input: ComplexityInput): ComplexityEstimate {
  const text = input.message;
  const signals: string[] = [];
  let score = 0;
  const add = (points: number, signal: string) => {
    if (points === 0) return;
    score += points;
    signals.push(signal);
  };

  // Quoted or pasted material is data to work on; the instruction around it says how hard the work is.
  const data = (text.match(QUOTED) ?? []).join(' ');
  const instruction = text.replace(QUOTED, ' ');
  const instructionTokens = countTokens(instruction);
  const dataTokens = countTokens(data);
  add(
    instructionTokens > 45 ? 3 : instructionTokens > 30 ? 2 : instructionTokens > 20 ? 1 : 0,
    `${instructionTokens} instruction tokens`,
  );
  add(dataTokens > 400 ? 2 : dataTokens > 150 ? 1 : 0, `${dataTokens} tokens of material`);
  const sources = distinct(instruction, SEVERAL_SOURCES);
  add(Math.min(3, sources.length * 3), `several sources (${sources[0] ?? ''})`);

  const asks = Math.max(1, (text.match(/\?/g) ?? []).length) + (text.match(ENUMERATION) ?? []).length;
  const clauses = (
    text.match(
      /,\s*(?:and|then)\s|\band (?:also |then )?(?:tell|explain|list|show|say|propose|write|make|confirm|find|get|set up|change|update|rank|suggest|give|estimate|recommend|discuss|handle|identify|compare|rewrite|draft)\b/gi,
    ) ?? []
  ).length;
  add(Math.min(3, asks - 1 + clauses), `${asks + clauses} asks`);

  const deep = distinct(text, DEEP_WORK);
  add(Math.min(6, deep.length * 3), `deep work (${deep.slice(0, 3).join(', ')})`);

  const analytic = distinct(text, ANALYTIC);
  add(Math.min(4, analytic.length * 1.5), `analysis (${analytic.slice(0, 3).join(', ')})`);

  const steps = distinct(text, MULTI_STEP);
  add(Math.min(2, steps.length * 2), 'multi-step');

  const compose = distinct(text, COMPOSE);
  add(Math.min(3, compose.length * 1.5), `structured writing (${compose.slice(0, 2).join(', ')})`);

  if (SHORT_ANSWER.test(instruction)) add(-2, 'short answer');
  if (SEVERAL_OUTPUTS.test(instruction)) add(1.5, 'several outputs');
  const sentences = instruction.split(/[.?!]+\s/).filter((sentence) => sentence.trim().length > 3).length;
  add(sentences >= 3 ? 1 : 0, `${sentences} sentences`);

  // Data questions that need more than one table or a window (ranks within groups, running figures).
  const multi = distinct(text, SQL_MULTI);
  const sql = distinct(text, SQL_KEYWORD).length > 0;
  add(Math.min(5, multi.length * (sql ? 3 : 2)), `${sql ? 'sql' : 'data'} (${multi.slice(0, 2).join(', ')})`);
  if (/```|\b(?:function|def|class|return)\b.*[({]/.test(text)) add(1, 'code');

  add(input.conversationDepth >= 20 ? 2 : input.conversationDepth >= 10 ? 1 : 0, 'long conversation');
  add(Math.min(2, input.toolFailures), `${input.toolFailures} tool failures`);

  const tier: ModelTier = score >= LARGE_FROM ? 'large' : score >= MEDIUM_FROM ? 'medium' : 'small';
  return { tier, score, signals };
}

export function tierIndex(tier: ModelTier): number {
  return TIERS.indexOf(tier);
}

/** The tier `steps` above (positive) or below (negative) `tier`, kept within small..large. */
export function shiftTier(tier: ModelTier, steps: number): ModelTier {
  const index = Math.min(TIERS.length - 1, Math.max(0, tierIndex(tier) + steps));
  return TIERS[index] ?? tier;
}
