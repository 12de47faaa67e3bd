import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import type { ApiDeps } from '../api-deps.ts';
import { principalOf, requireRole } from '../api-keys.ts';
import { BreakerScope } from '../breaker-board.ts';
import { parseInput, problems } from '../problem.ts';

export const ResetBreakerBody = z.object({ scope: BreakerScope, key: z.string().min(1).max(300) }).strict();

/** Ops' view of every circuit breaker, and the audited reset. */
export function breakerRoutes(deps: ApiDeps): Router {
  const router = Router();
  router.use('/v1/breakers', requireRole(deps.registry, 'ops'));

  router.get('/v1/breakers', async (_request: Request, response: Response) => {
    response.json({ breakers: await deps.breakers.list() });
  });

  router.post('/v1/breakers/reset', async (request: Request, response: Response) => {
    const principal = principalOf(response);
    const { scope, key } = parseInput(ResetBreakerBody, request.body);
    const reset = await deps.breakers.reset(scope, key);
    // The audit line: who reset which breaker, whether it was open.
    deps.logger.warn(
      { audit: 'breaker.reset', scope, key, wasOpen: reset, keyId: principal.keyId },
      'breaker reset by ops',
    );
    if (!reset) throw problems.notFound(`An open ${scope} breaker "${key}"`);
    response.json({ scope, key, state: 'closed' });
  });

  return router;
}
