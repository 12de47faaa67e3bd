import { buildSessionTrace } from '@agentops/telemetry';
import { type Request, type Response, Router } from 'express';
import { type ApiDeps, ownedSession } from '../api-deps.ts';
import { principalOf, requireRole } from '../api-keys.ts';

/** A session's trace, scoped to its tenant like every session route (another tenant's is a 404). */
export function traceRoutes(deps: ApiDeps): Router {
  const router = Router();
  router.use('/v1/sessions', requireRole(deps.registry, 'client'));

  router.get('/v1/sessions/:sessionId/trace', async (request: Request, response: Response) => {
    const session = await ownedSession(deps, principalOf(response), String(request.params.sessionId));
    const spans = await deps.observability.traces.spans(session.sessionId);
    response.json(buildSessionTrace(session.sessionId, spans));
  });

  return router;
}
