import { isTerminal, type TurnRecord } from '@agentops/core';
import { type Request, type Response, Router } from 'express';
import { type ApiDeps, ownedSession } from '../api-deps.ts';
import { principalOf, requireRole } from '../api-keys.ts';
import { ConfirmationBody, WaitQuery } from '../api-schemas.ts';
import { parseInput, problems } from '../problem.ts';
import { waitForTurn, wakeTurnJob } from '../turn-waits.ts';
import { toPublicTurn } from '../views.ts';

/**
 * The person's side of the confirmation gate (invariant 2): the decision is bound to the
 * confirmation id the turn showed, which is bound to the exact arguments the model sent.
 */
export function confirmationRoutes(deps: ApiDeps): Router {
  const router = Router();
  router.use('/v1/sessions', requireRole(deps.registry, 'client'));

  router.post(
    '/v1/sessions/:sessionId/confirmations/:confirmationId',
    async (request: Request, response: Response) => {
      const principal = principalOf(response);
      const { wait } = parseInput(WaitQuery, request.query, 'query string');
      const session = await ownedSession(deps, principal, String(request.params.sessionId));
      const confirmationId = String(request.params.confirmationId);
      const { approve } = parseInput(ConfirmationBody, request.body);
      const record = await deps.confirmations.get(confirmationId);
      if (!record || record.sessionId !== session.sessionId)
        throw problems.notFound(`Confirmation ${confirmationId}`);

      const wanted = approve ? 'approved' : 'declined';
      const decided = await deps.confirmations.decide(confirmationId, wanted, principal.keyId);
      if (decided.outcome === 'missing') throw problems.notFound(`Confirmation ${confirmationId}`);
      // Repeating the same decision is harmless (a double click); changing a decision is not.
      if (decided.status !== wanted) {
        throw problems.conflict('confirmation-settled', `This confirmation is already ${decided.status}.`);
      }
      if (decided.outcome === 'changed') {
        deps.logger.info(
          {
            sessionId: session.sessionId,
            turnId: record.turnId,
            confirmationId,
            decision: wanted,
            keyId: principal.keyId,
          },
          'confirmation decided',
        );
      }
      // Also on a repeated decision: waking a turn that is already awake is harmless, and it
      // heals a wake-up that was lost.
      await wakeTurnJob(deps, record.turnId);
      const turn = await deps.sessions.getTurn(record.turnId);
      if (!turn) throw problems.notFound(`Turn ${record.turnId}`);
      // The turn still shows this confirmation until the router takes the decision up.
      const movedOn = (latest: TurnRecord) =>
        isTerminal(latest.status) ||
        (latest.status === 'waiting_confirmation' && latest.confirmation?.confirmationId !== confirmationId);
      response.json(toPublicTurn(await waitForTurn(deps, turn, wait, movedOn)));
    },
  );

  return router;
}
