import { traceHttpRequests } from '@agentops/telemetry';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { ApiDeps } from './api-deps.ts';
import { identifyCaller } from './api-keys.ts';
import { buildOpenApiDocument } from './openapi.ts';
import { ProblemError, problems, sendProblem } from './problem.ts';
import { ADMIN_QUEUES_PATH, adminQueueRoutes } from './routes/admin-queues.ts';
import { breakerRoutes } from './routes/breakers.ts';
import { confirmationRoutes } from './routes/confirmations.ts';
import { escalationRoutes } from './routes/escalations.ts';
import { eventRoutes } from './routes/events.ts';
import { healthRoutes } from './routes/health.ts';
import { operationsRoutes } from './routes/operations.ts';
import { sessionRoutes } from './routes/sessions.ts';
import { supportConsoleRoutes } from './routes/support-console.ts';
import { traceRoutes } from './routes/trace.ts';
import { turnRoutes } from './routes/turns.ts';
import { securityHeaders } from './security-headers.ts';

export const BODY_LIMIT_BYTES = 64 * 1024;

/** Requests not worth a span: probes, scrapes and the board's own traffic. */
const UNTRACED = /^(\/healthz|\/readyz|\/metrics|\/openapi\.json)$/;

/** The public API of API.md as an express app; `services/api` only wires and listens. */
export function createApiApp(deps: ApiDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(securityHeaders());
  app.use(
    traceHttpRequests({
      routeOf: (request) => (request as Request).route?.path,
      ignore: (path) => UNTRACED.test(path) || path.startsWith(ADMIN_QUEUES_PATH),
    }),
  );
  app.use(requestLog(deps));
  // Named once per request, then limited per key before the body is even read.
  app.use(identifyCaller(deps.registry));
  app.use(deps.rateLimiter.middleware());
  app.use(express.json({ limit: BODY_LIMIT_BYTES, strict: false }));

  app.use(healthRoutes(deps));
  const openApi = buildOpenApiDocument();
  app.get('/openapi.json', (_request, response) => {
    response.json(openApi);
  });
  app.use(sessionRoutes(deps));
  app.use(turnRoutes(deps));
  app.use(confirmationRoutes(deps));
  app.use(eventRoutes(deps));
  app.use(breakerRoutes(deps));
  app.use(escalationRoutes(deps));
  app.use(supportConsoleRoutes());
  app.use(traceRoutes(deps));
  app.use(operationsRoutes(deps));
  app.use(adminQueueRoutes(deps));

  app.use((request: Request) => {
    throw problems.notFound(`${request.method} ${request.path}`);
  });
  app.use(errorHandler(deps));
  return app;
}

function requestLog(deps: ApiDeps) {
  return (request: Request, response: Response, next: NextFunction) => {
    if (request.path === '/healthz' || request.path === '/readyz') return next();
    const started = process.hrtime.bigint();
    response.on('finish', () => {
      const principal = response.locals.principal as { keyId?: string } | undefined;
      deps.logger.info(
        {
          method: request.method,
          route: request.route?.path ?? request.path,
          status: response.statusCode,
          durationMs: Number(process.hrtime.bigint() - started) / 1e6,
          keyId: principal?.keyId,
        },
        'request',
      );
    });
    next();
  };
}

/** body-parser's error types, as it reports them on `error.type`. */
const BODY_ERRORS: Record<string, () => ProblemError> = {
  'entity.too.large': () => problems.tooLarge(BODY_LIMIT_BYTES),
  'entity.parse.failed': () => problems.validation([{ path: '(body)', message: 'is not valid JSON' }]),
  'encoding.unsupported': () => problems.unsupportedMediaType(),
  'charset.unsupported': () => problems.unsupportedMediaType(),
  'request.aborted': () => problems.validation([{ path: '(body)', message: 'the request was aborted' }]),
};

/**
 * Every error leaves as problem JSON. A client's mistake is a 4xx that says what to fix; Redis
 * being away is a 503 with Retry-After; anything else is a 500 that names no internals, while
 * the log keeps the detail.
 */
function errorHandler(deps: ApiDeps) {
  return (error: unknown, request: Request, response: Response, _next: NextFunction) => {
    if (response.headersSent) {
      response.end();
      return;
    }
    const bodyErrorType = (error as { type?: unknown })?.type;
    const bodyError = typeof bodyErrorType === 'string' ? BODY_ERRORS[bodyErrorType] : undefined;
    if (error instanceof ProblemError) return sendProblem(response, error);
    if (bodyError) return sendProblem(response, bodyError());
    if (isRedisUnavailable(error)) {
      deps.logger.warn({ err: error, route: request.path }, 'redis unavailable');
      return sendProblem(
        response,
        problems.unavailable('The platform cannot store requests right now; retry shortly.', 2),
      );
    }
    deps.logger.error({ err: error, method: request.method, route: request.path }, 'request failed');
    sendProblem(
      response,
      new ProblemError(500, 'internal', 'Internal error', 'Something went wrong on our side; please retry.'),
    );
  };
}

function isRedisUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return (
    error.name === 'MaxRetriesPerRequestError' ||
    /Connection is closed|ECONNREFUSED|Stream isn't writeable|LOADING|READONLY/.test(error.message)
  );
}
