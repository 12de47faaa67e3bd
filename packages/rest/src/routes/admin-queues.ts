import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { type NextFunction, type Request, type Response, Router } from 'express';
import type { ApiDeps } from '../api-deps.ts';
import type { ApiKeyRegistry } from '../api-keys.ts';
import { ProblemError } from '../problem.ts';

export const ADMIN_QUEUES_PATH = '/admin/queues';

/**
 * Bull Board over every queue of the platform. It has no auth of its own and its API retries and
 * removes jobs, so it sits behind HTTP Basic auth whose password is an ops key (a browser asks for
 * it), and refuses changes that come from another site (the browser re-sends Basic credentials
 * on its own, which is what a cross-site request forgery would ride on).
 */
export function adminQueueRoutes(deps: ApiDeps): Router {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(ADMIN_QUEUES_PATH);
  createBullBoard({
    queues: deps.observability.queues.map((queue) => new BullMQAdapter(queue)),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'agentops queues' } },
  });
  const router = Router();
  router.use(
    ADMIN_QUEUES_PATH,
    requireOpsBasicAuth(deps.registry),
    refuseCrossSiteChanges,
    serverAdapter.getRouter(),
  );
  return router;
}

const BASIC_CHALLENGE = 'Basic realm="agentops ops", charset="UTF-8"';

function requireOpsBasicAuth(registry: ApiKeyRegistry) {
  return (request: Request, _response: Response, next: NextFunction) => {
    const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(request.headers.authorization ?? '');
    const decoded = match?.[1] ? Buffer.from(match[1], 'base64').toString('utf8') : '';
    // Any user name; the password is the key.
    const password = decoded.slice(decoded.indexOf(':') + 1);
    const principal = decoded.includes(':') ? registry.identify(password) : undefined;
    if (principal?.role !== 'ops') {
      throw new ProblemError(
        401,
        'unauthorized',
        'Unauthorized',
        'Bull Board needs HTTP Basic auth with an ops API key as the password.',
        { headers: { 'WWW-Authenticate': BASIC_CHALLENGE } },
      );
    }
    next();
  };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function refuseCrossSiteChanges(request: Request, _response: Response, next: NextFunction) {
  if (SAFE_METHODS.has(request.method)) return next();
  const site = request.headers['sec-fetch-site'];
  const origin = request.headers.origin;
  const crossSite =
    (site !== undefined && site !== 'same-origin' && site !== 'none') ||
    (origin !== undefined && originHost(origin) !== request.headers.host);
  if (crossSite) {
    throw new ProblemError(
      403,
      'forbidden',
      'Forbidden',
      'Queue changes are accepted from Bull Board itself only.',
    );
  }
  next();
}

function originHost(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}
