import { PROMETHEUS_CONTENT_TYPE, renderPrometheus } from '@agentops/telemetry';
import { type Request, type Response, Router } from 'express';
import type { ApiDeps } from '../api-deps.ts';
import { requireRole } from '../api-keys.ts';
import { AlertsQuery } from '../api-schemas.ts';
import { parseInput } from '../problem.ts';

/** Metrics for Prometheus and the alert list, both for the ops role. */
export function operationsRoutes(deps: ApiDeps): Router {
  const router = Router();
  const opsOnly = requireRole(deps.registry, 'ops');

  router.get('/metrics', opsOnly, async (_request: Request, response: Response) => {
    const [snapshot, alerts] = await Promise.all([
      deps.observability.snapshot(Date.now()),
      deps.observability.alerts.all(),
    ]);
    response.type(PROMETHEUS_CONTENT_TYPE).send(renderPrometheus(snapshot, alerts));
  });

  router.get('/v1/alerts', opsOnly, async (request: Request, response: Response) => {
    const { state } = parseInput(AlertsQuery, request.query, 'query string');
    const alerts = await deps.observability.alerts.all();
    response.json({ alerts: state ? alerts.filter((alert) => alert.state === state) : alerts });
  });

  return router;
}
