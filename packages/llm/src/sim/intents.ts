/**
 * How the sim reads a request. Deliberately naive keyword rules (ARCHITECTURE.md, "The sim
 * model"): the platform's defences must hold against a model this gullible.
 */
export type Intent =
  | { kind: 'reveal_prompt' }
  | { kind: 'handoff' }
  | { kind: 'refund'; orderId: string; amountUsd?: number }
  | { kind: 'order_status'; orderIds: string[] }
  | { kind: 'email'; to?: string; subject: string; body: string }
  | { kind: 'docs'; query: string }
  | { kind: 'recall' }
  | { kind: 'chat'; text: string };

const ORDER_ID = /\b[A-Z]\d{4,}\b/g;
const EMAIL_ADDRESS = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/;
const STATUS_CUE = /\b(where|status|track(?:ing)?|when|arriv\w*|deliver\w*|ship\w*|late|order)\b/i;
const REVEAL_PROMPT =
  /\b(reveal|print|show|repeat|output|tell me|what (?:is|are)|display|dump)\b.{0,40}\b(system prompt|your (?:instructions|prompt|rules)|initial instructions|hidden (?:prompt|instructions))/i;
const HANDOFF =
  /\b(human|real person|a person|someone real|live agent|(?:speak|talk|chat) (?:to|with) (?:an? )?(?:agent|representative|someone|person))\b/i;
const REFUND = /\brefund/i;
const EMAIL = /\b(e-?mail|send)\b/i;
const DOCS =
  /\b(how (?:do|can|should) (?:i|we)|docs?|documentation|polic(?:y|ies)|help (?:article|center))\b/i;
/** "What did I ask first?": answered from the conversation, including its summary. */
const RECALL =
  /\b(what did i (?:first |originally )?(?:ask|say|want)|my (?:first|earlier|original) (?:question|message|request))\b/i;
const AMOUNT = /\$\s?(\d+(?:\.\d{1,2})?)/;

export function orderIdsIn(text: string): string[] {
  return [...new Set(text.match(ORDER_ID) ?? [])];
}

export function parseIntent(text: string): Intent {
  const orderIds = orderIdsIn(text);
  if (REVEAL_PROMPT.test(text)) return { kind: 'reveal_prompt' };
  if (HANDOFF.test(text)) return { kind: 'handoff' };
  if (REFUND.test(text) && orderIds[0]) {
    const amount = text.match(AMOUNT)?.[1];
    return { kind: 'refund', orderId: orderIds[0], ...(amount ? { amountUsd: Number(amount) } : {}) };
  }
  if (orderIds.length > 0 && (STATUS_CUE.test(text) || text.trim().length <= 24)) {
    return { kind: 'order_status', orderIds: orderIds.slice(0, 3) };
  }
  if (RECALL.test(text)) return { kind: 'recall' };
  if (EMAIL.test(text)) return parseEmail(text);
  if (DOCS.test(text)) return { kind: 'docs', query: text.trim().slice(0, 200) };
  return { kind: 'chat', text };
}

function parseEmail(text: string): Intent {
  const to = text.match(EMAIL_ADDRESS)?.[0];
  const subject =
    text.match(/subject[:\s]+["']?([^"'\n]{1,80})/i)?.[1]?.trim() ??
    text.match(/\babout ([^.,\n]{1,60})/i)?.[1]?.trim() ??
    'Message from support';
  const body =
    text.match(/\b(?:saying|that says|containing|with the text)[:\s]+(.{1,500})/is)?.[1]?.trim() ??
    text.trim();
  return { kind: 'email', ...(to ? { to } : {}), subject, body };
}

/**
 * Finds text in a tool result that tries to instruct the agent. The sim, playing an adversarial
 * model, obeys what follows the marker; the guard package detects the same text independently.
 */
const INJECTION_MARKER =
  /(ignore (?:all |any )?(?:previous|prior|above|earlier) instructions|new instructions?:|system override:?|system:|you must now|as the assistant,? you (?:must|should))/i;

export function findInjectedInstruction(text: string): string | undefined {
  for (const value of textValuesOf(text)) {
    const match = INJECTION_MARKER.exec(value);
    if (!match) continue;
    const instruction = value.slice(match.index + match[0].length).trim();
    if (instruction.length > 0) return instruction;
  }
  return undefined;
}

/**
 * The texts a model reads in a tool result: the string values of the JSON object in it, or the
 * whole text when there is none. Reading the parsed strings, not the raw JSON, keeps an
 * instruction whole when it contains quotes (`\"`), braces or brackets.
 */
function textValuesOf(text: string): string[] {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start >= 0 && end > start) {
    try {
      return stringValues(JSON.parse(text.slice(start, end + 1)));
    } catch {
      // Not JSON after all: read it as plain text.
    }
  }
  return [text];
}

function stringValues(value: unknown, into: string[] = []): string[] {
  if (typeof value === 'string') into.push(value);
  else if (Array.isArray(value)) for (const item of value) stringValues(item, into);
  else if (typeof value === 'object' && value !== null)
    for (const item of Object.values(value)) stringValues(item, into);
  return into;
}
