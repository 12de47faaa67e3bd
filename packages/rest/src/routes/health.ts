import { Router } from 'express';
import type { ApiDeps } from '../api-deps.ts';

const CHECK_TIMEOUT_MS = 2_000;

/** Liveness and readiness without auth, for load balancers and orchestrators. */
export function healthRoutes(deps: ApiDeps): Router {
  const router = Router();

  router.get('/healthz', (_request, response) => {
    response.json({ status: 'ok' });
  });

  // Ready means a turn accepted now would be worked on: Redis answers and every queue the API
  // feeds has a worker registered on it.
  router.get('/readyz', async (_request, response) => {
    const checks = await withTimeout(readinessChecks(deps), CHECK_TIMEOUT_MS).catch(() => ({ redis: false }));
    const ready = Object.values(checks).every(Boolean);
    response.status(ready ? 200 : 503);
    if (!ready) response.setHeader('Retry-After', '2');
    response.json({ status: ready ? 'ready' : 'not_ready', checks });
  });

  return router;
}

async function readinessChecks(deps: ApiDeps): Promise<Record<string, boolean>> {
  const checks: Record<string, boolean> = { redis: (await deps.redis.ping()) === 'PONG' };
  for (const queue of deps.requiredQueues) {
    checks[`workers:${queue.name}`] = (await queue.getWorkersCount()) > 0;
  }
  return checks;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timeout')), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
