import { isTerminal, type TurnRecord } from '@agentops/core';
import type { ApiDeps } from './api-deps.ts';

/** A turn that ended, or that cannot go on until the user decides on a confirmation. */
export function needsNoMoreWaiting(turn: TurnRecord): boolean {
  return isTerminal(turn.status) || turn.status === 'waiting_confirmation';
}

/**
 * Holds a `?wait=` request until the turn ends or needs the user, or `seconds` pass, and answers
 * the turn as it then is. A wait of 0 answers at once.
 */
export async function waitForTurn(
  deps: ApiDeps,
  turn: TurnRecord,
  seconds: number | undefined,
  isSettled: (turn: TurnRecord) => boolean = needsNoMoreWaiting,
): Promise<TurnRecord> {
  if (!seconds || isSettled(turn)) return turn;
  const settled = await deps.signals.waitFor(
    turn.sessionId,
    seconds * 1000,
    async () => {
      const latest = await deps.sessions.getTurn(turn.turnId);
      return latest && isSettled(latest) ? latest : undefined;
    },
    // The steps in between (running, waiting for a tool) need no look at the turn.
    { onlyWhenSettled: turn.turnId },
  );
  return settled ?? (await deps.sessions.getTurn(turn.turnId)) ?? turn;
}

/** Wakes a turn job parked as delayed (waiting for a confirmation) so it looks again now. */
export async function wakeTurnJob(deps: ApiDeps, turnId: string): Promise<void> {
  const job = await deps.turnsQueue.getJob(turnId);
  if (job && (await job.getState()) === 'delayed') await job.promote().catch(() => undefined);
}
