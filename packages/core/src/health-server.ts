import { createServer } from 'node:http';
import { z } from 'zod';
import { envOptionalInt, envString } from './config.ts';
import type { LifecycleLogger } from './lifecycle.ts';

/**
 * Settings of the probe endpoint of the processes that serve no HTTP of their own (router,
 * tool-worker, budget). Unset HEALTH_PORT: no listener, as under `npm start` and in tests.
 */
export const HealthEnv = z.object({
  HEALTH_PORT: envOptionalInt({ min: 0, max: 65_535 }),
  HOST: envString('127.0.0.1'),
});
export type HealthEnv = z.infer<typeof HealthEnv>;

/** Named checks that must all hold for the process to take work. */
export type ReadinessChecks = Record<string, () => boolean>;

export interface HealthServer {
  close(): Promise<void>;
}

/**
 * Answers orchestrators' probes. `/healthz` is liveness: 200 while the process and its event loop
 * answer. It never looks at Redis, so a Redis outage does not restart every worker at once (they
 * reconnect by themselves). `/readyz` is 200 when every check holds (Redis connected, workers
 * running) and 503 naming the failing ones otherwise, which keeps a rollout from counting a pod
 * that cannot take jobs.
 */
export function startHealthServer(
  settings: HealthEnv,
  logger: LifecycleLogger,
  checks: ReadinessChecks,
): HealthServer | undefined {
  if (settings.HEALTH_PORT === undefined) return undefined;
  const server = createServer((request, response) => {
    const path = request.url?.split('?')[0];
    if (request.method !== 'GET' || (path !== '/healthz' && path !== '/readyz')) {
      response.writeHead(404, { 'content-type': 'application/problem+json' });
      response.end(JSON.stringify({ title: 'Not Found', status: 404 }));
      return;
    }
    if (path === '/healthz') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ status: 'ok' }));
      return;
    }
    const results = Object.fromEntries(Object.entries(checks).map(([name, check]) => [name, safely(check)]));
    const ready = Object.values(results).every(Boolean);
    response.writeHead(ready ? 200 : 503, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ status: ready ? 'ready' : 'not_ready', checks: results }));
  });
  server.on('error', (error) =>
    logger.error({ err: error, healthPort: settings.HEALTH_PORT }, 'health endpoint failed'),
  );
  server.listen(settings.HEALTH_PORT, settings.HOST, () => {
    const address = server.address();
    const healthPort = typeof address === 'object' && address ? address.port : settings.HEALTH_PORT;
    logger.info({ healthPort, host: settings.HOST }, 'health endpoint listening');
  });
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function safely(check: () => boolean): boolean {
  try {
    return check();
  } catch {
    return false;
  }
}
