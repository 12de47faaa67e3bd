import {
  type HistoryMessage,
  microsToUsd,
  newId,
  type SessionRecord,
  toPublicMessages,
} from '@agentops/core';
import { type Request, type Response, Router } from 'express';
import { type ApiDeps, ownedSession } from '../api-deps.ts';
import { principalOf, requireRole } from '../api-keys.ts';
import { CreateSessionBody } from '../api-schemas.ts';
import { parseInput, problems } from '../problem.ts';
import { sendReply } from '../reply.ts';

export function sessionRoutes(deps: ApiDeps): Router {
  const router = Router();
  router.use('/v1/sessions', requireRole(deps.registry, 'client'));

  router.post('/v1/sessions', async (request: Request, response: Response) => {
    const principal = principalOf(response);
    const reply = await deps.idempotency.run(principal, request.get('Idempotency-Key'), request, async () => {
      const body = parseInput(CreateSessionBody, request.body);
      const agent = body.agent ?? deps.settings.defaultAgent;
      if (!deps.agents.has(agent)) {
        throw problems.validation([
          { path: 'agent', message: `unknown agent; one of: ${[...deps.agents].join(', ')}` },
        ]);
      }
      const session: SessionRecord = {
        sessionId: newId('ses'),
        tenant: principal.tenant,
        userId: body.userId,
        agent,
        status: 'active',
        createdAt: new Date().toISOString(),
        metadata: body.metadata ?? {},
      };
      await deps.sessions.createSession(session);
      deps.logger.info(
        { sessionId: session.sessionId, tenant: session.tenant, agent, keyId: principal.keyId },
        'session created',
      );
      const { sessionId, userId, status, createdAt } = session;
      return { status: 201, body: { sessionId, userId, agent, status, createdAt } };
    });
    sendReply(response, reply);
  });

  router.get('/v1/sessions/:sessionId', async (request: Request, response: Response) => {
    const session = await ownedSession(deps, principalOf(response), String(request.params.sessionId));
    const [history, usage, spend] = await Promise.all([
      deps.sessions.getHistory(session.sessionId),
      deps.ledger.sessionUsage(session.sessionId),
      deps.spend.sessionSpend(session.sessionId),
    ]);
    response.json(sessionView(deps, session, history, usage, spend));
  });

  return router;
}

function sessionView(
  deps: ApiDeps,
  session: SessionRecord,
  history: HistoryMessage[],
  usage: Awaited<ReturnType<ApiDeps['ledger']['sessionUsage']>>,
  spend: { spentMicros: number; tokens: number },
) {
  const costUsd = microsToUsd(usage.costMicros);
  return {
    sessionId: session.sessionId,
    userId: session.userId,
    agent: session.agent,
    status: session.status,
    createdAt: session.createdAt,
    metadata: session.metadata,
    messages: toPublicMessages(history),
    usage: {
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      costUsd,
      modelCalls: usage.calls,
    },
    // The budget is the ledger the router reserves against: it counts a call as soon as it settles.
    budget: {
      tokensUsed: spend.tokens,
      tokenLimit: deps.settings.sessionTokenLimit,
      costUsd: microsToUsd(spend.spentMicros),
      costLimitUsd: microsToUsd(deps.settings.sessionCostLimitMicros),
    },
    ...(session.escalationId ? { escalationId: session.escalationId } : {}),
  };
}
