import { microsToUsd, type PublicTurn, type TurnRecord } from '@agentops/core';

/** The API.md `Turn`: what a client may see of the stored turn (no history, no internals). */
export function toPublicTurn(turn: TurnRecord): PublicTurn {
  const view: PublicTurn = {
    turnId: turn.turnId,
    sessionId: turn.sessionId,
    status: turn.status,
    createdAt: turn.createdAt,
  };
  if (turn.reply !== undefined) view.reply = turn.reply;
  if (turn.model !== undefined) view.model = turn.model;
  if (turn.step > 0 || turn.usage.inputTokens > 0) {
    view.usage = {
      inputTokens: turn.usage.inputTokens,
      outputTokens: turn.usage.outputTokens,
      costUsd: microsToUsd(turn.usage.costMicros),
    };
  }
  if (turn.toolCalls.length > 0) {
    view.toolCalls = turn.toolCalls.map(({ tool, status, errorType, attempts, latencyMs }) =>
      errorType === undefined
        ? { tool, status, attempts, latencyMs }
        : { tool, status, errorType, attempts, latencyMs },
    );
  }
  if (turn.confirmation) {
    const { confirmationId, tool, summary } = turn.confirmation;
    view.confirmation = { confirmationId, tool, summary };
  }
  if (turn.escalationId !== undefined) view.escalationId = turn.escalationId;
  if (turn.error !== undefined) view.error = turn.error;
  if (turn.security) {
    // What was found and what was done; the detector's rules and scores stay internal (no oracle).
    view.security = {
      injections: turn.security.injections.map(({ source, tool, action }) =>
        tool === undefined ? { source, action } : { source, tool, action },
      ),
      promptLeaks: turn.security.promptLeaks,
    };
  }
  if (turn.endedAt !== undefined) view.endedAt = turn.endedAt;
  return view;
}
