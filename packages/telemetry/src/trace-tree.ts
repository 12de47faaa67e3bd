import { ATTR, SPAN } from './attributes.ts';
import type { StoredSpan } from './session-trace-store.ts';

/** `GET /v1/sessions/:id/trace` (API.md). */
export interface SessionTrace {
  /** The trace of the session's latest turn; null before its first turn. */
  traceId: string | null;
  /** Each turn is a trace of its own, from the API request to its last step. */
  turns: { turnId: string; traceId: string }[];
  spans: Omit<StoredSpan, 'startMs'>[];
  text: string;
}

interface Node {
  span: StoredSpan;
  children: Node[];
}

const NO_TURN = '(outside a turn)';

export function buildSessionTrace(sessionId: string, spans: readonly StoredSpan[]): SessionTrace {
  const sorted = [...spans].sort((a, b) => a.startMs - b.startMs);
  const turns = new Map<string, StoredSpan[]>();
  for (const span of sorted) {
    const turnId =
      typeof span.attributes[ATTR.turnId] === 'string' ? String(span.attributes[ATTR.turnId]) : NO_TURN;
    const list = turns.get(turnId) ?? [];
    list.push(span);
    turns.set(turnId, list);
  }
  const turnTraces = [...turns.entries()]
    .filter(([turnId]) => turnId !== NO_TURN)
    .map(([turnId, list]) => ({ turnId, traceId: list[0]?.traceId ?? '' }));
  return {
    traceId: turnTraces.at(-1)?.traceId ?? sorted.at(-1)?.traceId ?? null,
    turns: turnTraces,
    spans: sorted.map(({ startMs: _startMs, ...span }) => span),
    text: renderTraceTree(sessionId, turns, sorted),
  };
}

/**
 * The tree of API.md: one branch per turn, and in it the steps a person reads (model calls, tool
 * calls, breaker changes, escalations, the turn's end). The plumbing spans (HTTP request, queue
 * publish and process) are left out of the text but not of `spans`; a step nested in another step
 * (a breaker opened by a tool call) is drawn under it.
 */
function renderTraceTree(
  sessionId: string,
  turns: ReadonlyMap<string, StoredSpan[]>,
  all: readonly StoredSpan[],
): string {
  const byId = new Map(all.map((span) => [span.spanId, span]));
  const lines = [`Trace: ${sessionId}`];
  if (turns.size === 0) lines.push('└── (no spans yet)');
  const entries = [...turns.entries()];
  entries.forEach(([turnId, spans], index) => {
    const nodes = stepTree(spans, byId);
    const label = turnId === NO_TURN ? turnId : `turn ${turnId} (trace ${spans[0]?.traceId ?? ''})`;
    drawNode(lines, '', index === entries.length - 1, label, nodes);
  });
  return lines.join('\n');
}

/**
 * Bookkeeping a reader does not need in the text: a settle's outcome is the model call's cost,
 * drawn on the `llm.completion` line already.
 */
const UNDRAWN_STEPS = new Set(['budget.settle']);

function stepTree(spans: readonly StoredSpan[], byId: ReadonlyMap<string, StoredSpan>): Node[] {
  const steps = spans.filter((span) => span.kind === 'internal' && !UNDRAWN_STEPS.has(span.name));
  const nodes = new Map(steps.map((span) => [span.spanId, { span, children: [] } as Node]));
  const roots: Node[] = [];
  for (const node of nodes.values()) {
    let parentId = node.span.parentSpanId;
    let parent: Node | undefined;
    // Walk up through plumbing spans to the nearest step, if any.
    for (let hops = 0; parentId && !parent && hops < 50; hops++) {
      parent = nodes.get(parentId);
      parentId = byId.get(parentId)?.parentSpanId;
    }
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}

function drawNode(lines: string[], indent: string, last: boolean, label: string, children: Node[]): void {
  lines.push(`${indent}${last ? '└── ' : '├── '}${label}`);
  const childIndent = indent + (last ? '    ' : '│   ');
  children.forEach((child, index) => {
    drawNode(lines, childIndent, index === children.length - 1, describeStep(child.span), child.children);
  });
}

const count = (value: number) => Math.round(value).toLocaleString('en-US');
const ms = (value: number) => `${count(value)}ms`;
/** $0.0184 as in API.md; smaller amounts keep their significant digits. */
export function formatUsd(usd: number): string {
  if (usd === 0) return '$0';
  if (usd >= 0.001) return `$${usd.toFixed(4)}`;
  return `$${Number(usd.toPrecision(2)).toFixed(8).replace(/0+$/, '')}`;
}
const num = (value: unknown) => (typeof value === 'number' ? value : 0);
const str = (value: unknown) => (typeof value === 'string' ? value : undefined);

export function describeStep(span: StoredSpan): string {
  const a = span.attributes;
  if (span.name === SPAN.llmCompletion) {
    const tokens = num(a[ATTR.genAiInputTokens]) + num(a[ATTR.genAiOutputTokens]);
    const model = str(a[ATTR.genAiResponseModel]) ?? str(a[ATTR.genAiRequestModel]) ?? '';
    if (span.status === 'error') return `${span.name} [${ms(span.durationMs)}, error] ${model}`.trimEnd();
    return `${span.name} [${ms(span.durationMs)}, ${count(tokens)} tokens, ${formatUsd(num(a[ATTR.llmCostUsd]))}] ${model}`.trimEnd();
  }
  if (span.name.startsWith('turn.') && a[ATTR.turnStatus] !== undefined) {
    const tokens = num(a[ATTR.turnInputTokens]) + num(a[ATTR.turnOutputTokens]);
    return `${span.name} [${count(tokens)} tokens total, ${formatUsd(num(a[ATTR.turnCostUsd]))} total]`;
  }
  const tool = str(a[ATTR.toolName]);
  if (tool && span.name === SPAN.toolCall(tool)) {
    const status = str(a[ATTR.toolStatus]);
    const errorType = str(a[ATTR.toolErrorType]);
    let detail: string;
    if (errorType === 'circuit_open') detail = 'circuit open';
    else if (status === 'error')
      detail = `${ms(span.durationMs)}, ${(errorType ?? 'unknown').replace(/_/g, ' ')} error`;
    else
      detail = `${ms(span.durationMs)}, ${status ?? 'unknown'}${a[ATTR.toolCacheHit] === true ? ', cached' : ''}`;
    const retry = a[ATTR.toolRetryScheduled] === true ? ` → retry #${num(a[ATTR.toolAttempt])}` : '';
    return `${span.name} [${detail}]${retry}`;
  }
  if (span.name === SPAN.breakerTransition) {
    const reason = str(a[ATTR.breakerReason]);
    return `${span.name} [${str(a[ATTR.breakerScope])} ${str(a[ATTR.breakerKey])}: ${str(a[ATTR.breakerTransition])}]${reason ? ` ${reason}` : ''}`;
  }
  if (span.name === 'budget.reserve') {
    const refused = str(a['budget.refused_scope']);
    return refused
      ? `${span.name} [refused: ${refused} limit ${formatUsd(num(a['budget.limit_usd']))} reached]`
      : `${span.name} [${formatUsd(num(a['budget.amount_usd']))} held]`;
  }
  if (span.name === SPAN.escalation) {
    return `${span.name} [${str(a[ATTR.escalationReason]) ?? 'unknown'}]`;
  }
  const outcome =
    span.status === 'error' ? `, error${span.statusMessage ? `: ${span.statusMessage}` : ''}` : '';
  return `${span.name} [${ms(span.durationMs)}${outcome}]`;
}
