import { newId, QUEUES, type TurnRecord, turnJobName, turnJobOptions } from '@agentops/core';
import { ATTR, annotateActiveSpan, withPublishSpan } from '@agentops/telemetry';
import { type Request, type Response, Router } from 'express';
import { type ApiDeps, ownedSession } from '../api-deps.ts';
import { principalOf, requireRole } from '../api-keys.ts';
import { PostTurnBody, WaitQuery } from '../api-schemas.ts';
import { parseInput, problems } from '../problem.ts';
import { waitForTurn, wakeTurnJob } from '../turn-waits.ts';
import { toPublicTurn } from '../views.ts';

export function turnRoutes(deps: ApiDeps): Router {
  const router = Router();
  router.use('/v1/sessions', requireRole(deps.registry, 'client'));

  router.post('/v1/sessions/:sessionId/turns', async (request: Request, response: Response) => {
    const principal = principalOf(response);
    const { wait } = parseInput(WaitQuery, request.query, 'query string');
    const sessionId = String(request.params.sessionId);
    let created: TurnRecord | undefined;
    const first = await deps.idempotency.run(principal, request.get('Idempotency-Key'), request, async () => {
      const { message } = parseInput(PostTurnBody, request.body);
      created = await acceptTurn(deps, sessionId, principal.tenant, message);
      return { status: 202, body: toPublicTurn(created) };
    });
    if (first.status !== 202) {
      response.status(first.status).json(first.body);
      return;
    }
    // A replayed request answers the turn the first one created, as it is now.
    const accepted = created ?? (await deps.sessions.getTurn((first.body as { turnId: string }).turnId));
    if (!accepted) throw problems.notFound('The turn');
    const turn = await waitForTurn(deps, accepted, wait);
    if (first.replayed) response.setHeader('Idempotent-Replayed', 'true');
    response.status(
      turn.status === 'completed' || turn.status === 'escalated' || turn.status === 'failed' ? 200 : 202,
    );
    response.json(toPublicTurn(turn));
  });

  router.get('/v1/sessions/:sessionId/turns/:turnId', async (request: Request, response: Response) => {
    const { wait } = parseInput(WaitQuery, request.query, 'query string');
    const session = await ownedSession(deps, principalOf(response), String(request.params.sessionId));
    const turnId = String(request.params.turnId);
    const turn = await deps.sessions.getTurn(turnId);
    if (!turn || turn.sessionId !== session.sessionId) throw problems.notFound(`Turn ${turnId}`);
    response.json(toPublicTurn(await waitForTurn(deps, turn, wait)));
  });

  return router;
}

async function acceptTurn(
  deps: ApiDeps,
  sessionId: string,
  tenant: string,
  message: string,
): Promise<TurnRecord> {
  const turn: TurnRecord = {
    turnId: newId('turn'),
    sessionId,
    tenant,
    status: 'queued',
    message,
    createdAt: new Date().toISOString(),
    step: 0,
    usage: { inputTokens: 0, outputTokens: 0, costMicros: 0 },
    toolCalls: [],
    routing: [],
  };
  // Recorded on the turn from its first save, so the 202 already says what was found.
  await deps.guard.screenUserMessage(turn);
  // Ownership, the global cost breaker and the backlog bound are checked in the same atomic
  // step as the acceptance: one round trip, and no turn slips in between a check and the write.
  const accepted = await deps.sessions.acceptTurn(turn, deps.settings.maxQueuedTurnsPerSession, {
    tenant,
    pausedWhile: deps.sessions.keys.costBreaker('global', 'global'),
    // BullMQ's own key map names the list of jobs waiting for a router.
    backlog: { key: deps.turnsQueue.toKey('wait'), max: deps.settings.maxTurnBacklog },
  });
  switch (accepted.outcome) {
    case 'missing':
      throw problems.notFound(`Session ${sessionId}`);
    case 'closed':
      throw problems.conflict('session-closed', 'This session is closed; start a new one.');
    case 'paused':
      throw problems.unavailable(
        'The platform has reached its spending limit for now; retry later.',
        Math.ceil(accepted.retryAfterMs / 1000),
      );
    case 'busy':
      deps.logger.warn({ backlog: accepted.backlog }, 'turn refused: backlog full');
      throw problems.unavailable('The platform is busy; retry this turn shortly.', 5);
    case 'full':
      throw problems.tooManyRequests(
        `This session already has ${accepted.depth} turns waiting; wait for them to finish.`,
        2,
      );
  }
  // The turn is stored before its job exists: if this process dies in between, the router
  // re-enqueues it when it finds a head turn without a job (invariant 5).
  // This request becomes the root of the turn's trace, and the session's trace keeps it.
  annotateActiveSpan({ [ATTR.sessionId]: sessionId, [ATTR.turnId]: turn.turnId });
  const jobName = turnJobName(sessionId, turn.turnId);
  await withPublishSpan(QUEUES.turns, jobName, {}, (trace) =>
    deps.turnsQueue.add(jobName, { sessionId, turnId: turn.turnId, trace }, turnJobOptions(turn.turnId)),
  );
  deps.logger.info({ sessionId, turnId: turn.turnId, position: accepted.position }, 'turn accepted');
  if (accepted.position > 1) await supersedePendingConfirmation(deps, sessionId);
  return turn;
}

/**
 * A user who writes again instead of answering a confirmation has moved on: the pending side
 * effect is withdrawn (it never runs) and the waiting turn ends, so the new one is not stuck
 * behind it until the confirmation expires.
 */
async function supersedePendingConfirmation(deps: ApiDeps, sessionId: string): Promise<void> {
  const headId = await deps.sessions.inboxHead(sessionId);
  const head = headId ? await deps.sessions.getTurn(headId) : null;
  if (!head?.awaiting) return;
  const decided = await deps.confirmations.decide(head.awaiting.confirmationId, 'superseded', 'platform');
  if (decided.outcome === 'changed') {
    deps.logger.info(
      { sessionId, turnId: head.turnId, confirmationId: head.awaiting.confirmationId },
      'confirmation superseded by a new turn',
    );
    await wakeTurnJob(deps, head.turnId);
  }
}
