import { type EscalationRecord, microsToUsd, toPublicMessages } from '@agentops/core';
import { type ActorRefusal, ALL_TENANTS, type DeskActor, ESCALATION_STATUSES } from '@agentops/escalations';
import { type Request, type Response, Router } from 'express';
import type { ApiDeps } from '../api-deps.ts';
import { type Principal, principalOf, requireRole } from '../api-keys.ts';
import {
  ClaimBody,
  EscalationListQuery,
  EscalationReplyBody,
  type EscalationView,
  ResolveBody,
} from '../escalation-schemas.ts';
import { type ProblemError, parseInput, problems } from '../problem.ts';
import { sendReply } from '../reply.ts';

/**
 * The support desk's API (API.md, "Escalations"), for `support` keys (and `ops`, who may do
 * everything support may). A key sees its own tenant's escalations only, unless its tenant is
 * `*`; another tenant's escalation is "not found", as sessions are for clients.
 */
export function escalationRoutes(deps: ApiDeps): Router {
  const router = Router();
  router.use('/v1/escalations', requireRole(deps.registry, 'support'));

  router.get('/v1/escalations', async (request: Request, response: Response) => {
    const principal = principalOf(response);
    const query = parseInput(EscalationListQuery, request.query, 'query string');
    const records = await deps.desk.list({
      tenant: principal.tenant,
      statuses: query.status ? [query.status] : ESCALATION_STATUSES,
      limit: query.limit,
    });
    const views = await Promise.all(records.map((record) => escalationView(deps, record)));
    response.json({ escalations: views });
  });

  router.get('/v1/escalations/:escalationId', async (request: Request, response: Response) => {
    const record = await visibleEscalation(deps, principalOf(response), String(request.params.escalationId));
    const [view, session, history] = await Promise.all([
      escalationView(deps, record),
      deps.sessions.getSession(record.sessionId),
      deps.sessions.getHistory(record.sessionId),
    ]);
    response.json({
      ...view,
      ...(session ? { sessionStatus: session.status } : {}),
      messages: toPublicMessages(history),
    });
  });

  router.post('/v1/escalations/:escalationId/claim', async (request: Request, response: Response) => {
    const principal = principalOf(response);
    const record = await visibleEscalation(deps, principal, String(request.params.escalationId));
    const { agentName } = parseInput(ClaimBody, request.body);
    const claimed = await deps.desk.claim(record.escalationId, agentName, principal.keyId);
    switch (claimed.outcome) {
      case 'conflict':
        throw problems.conflict(
          'escalation-claimed',
          `This escalation is already claimed by ${claimed.claimedBy}.`,
        );
      case 'already_resolved':
      case 'missing':
        throw refusal(claimed.outcome, record.escalationId);
    }
    if (claimed.outcome === 'claimed') {
      deps.logger.info(
        {
          escalationId: record.escalationId,
          sessionId: record.sessionId,
          agentName,
          keyId: principal.keyId,
        },
        'escalation claimed',
      );
    }
    response.json(await escalationView(deps, claimed.escalation));
  });

  router.post('/v1/escalations/:escalationId/reply', async (request: Request, response: Response) => {
    const principal = principalOf(response);
    const escalationId = String(request.params.escalationId);
    // A retried reply with the same Idempotency-Key reaches the user once.
    const reply = await deps.idempotency.run(principal, request.get('Idempotency-Key'), request, async () => {
      const record = await visibleEscalation(deps, principal, escalationId);
      const body = parseInput(EscalationReplyBody, request.body);
      const sent = await deps.desk.reply(
        record.escalationId,
        actorOf(principal, body.agentName),
        body.message,
      );
      if (sent.outcome !== 'sent') throw refusal(sent.outcome, escalationId);
      deps.logger.info(
        {
          escalationId,
          sessionId: record.sessionId,
          keyId: principal.keyId,
          agentName: sent.message.role === 'agent' ? sent.message.agentName : undefined,
        },
        'escalation reply sent',
      );
      const { role, content, at } = sent.message as { role: 'agent'; content: string; at: string };
      return {
        status: 200,
        body: { escalationId, sessionId: record.sessionId, message: { role, content, at } },
      };
    });
    sendReply(response, reply);
  });

  router.post('/v1/escalations/:escalationId/resolve', async (request: Request, response: Response) => {
    const principal = principalOf(response);
    const record = await visibleEscalation(deps, principal, String(request.params.escalationId));
    const body = parseInput(ResolveBody, request.body);
    const resolved = await deps.desk.resolve(
      record.escalationId,
      actorOf(principal, body.agentName),
      body.action,
      body.note,
    );
    if (resolved.outcome !== 'resolved' && resolved.outcome !== 'again') {
      throw refusal(resolved.outcome, record.escalationId);
    }
    if (resolved.outcome === 'resolved') {
      deps.logger.info(
        {
          escalationId: record.escalationId,
          sessionId: record.sessionId,
          action: body.action,
          resolvedBy: resolved.escalation.resolvedBy,
          keyId: principal.keyId,
          sessionChanged: resolved.sessionChanged,
        },
        'escalation resolved',
      );
    }
    response.json(await escalationView(deps, resolved.escalation));
  });

  return router;
}

function visibleTo(principal: Principal, record: EscalationRecord): boolean {
  return principal.tenant === ALL_TENANTS || principal.tenant === record.tenant;
}

async function visibleEscalation(
  deps: ApiDeps,
  principal: Principal,
  escalationId: string,
): Promise<EscalationRecord> {
  const record = await deps.desk.get(escalationId);
  if (!record || !visibleTo(principal, record)) throw problems.notFound(`Escalation ${escalationId}`);
  return record;
}

function actorOf(principal: Principal, agentName: string | undefined): DeskActor {
  return { keyId: principal.keyId, override: principal.role === 'ops', ...(agentName ? { agentName } : {}) };
}

function refusal(outcome: ActorRefusal, escalationId: string): ProblemError {
  switch (outcome) {
    case 'missing':
      return problems.notFound(`Escalation ${escalationId}`);
    case 'already_resolved':
      return problems.conflict('escalation-resolved', 'This escalation is already resolved.');
    case 'not_claimed':
      return problems.conflict(
        'escalation-not-claimed',
        'Claim this escalation before replying to it or resolving it.',
      );
    case 'claimed_by_other':
      return problems.conflict('escalation-claimed', 'Another agent holds this escalation.');
    case 'session_missing':
      return problems.conflict(
        'session-expired',
        "The user's session has expired; resolve the escalation to file it away.",
      );
  }
}

/** The API.md `Escalation`: the record, its session's cost so far, and nothing internal. */
async function escalationView(deps: ApiDeps, record: EscalationRecord): Promise<EscalationView> {
  const usage = await deps.ledger.sessionUsage(record.sessionId);
  const { claimedByKey: _key, ...visible } = record;
  return { ...visible, costUsd: microsToUsd(usage.costMicros) };
}
