import { type Request, type Response, Router } from 'express';
import { type ApiDeps, ownedSession } from '../api-deps.ts';
import { principalOf, requireRole } from '../api-keys.ts';

const HEARTBEAT_MS = 15_000;
const STREAM_ID = /^\d+-\d+$/;

/**
 * `GET /v1/sessions/:id/events` as server-sent events. Each event carries its stream id, so a
 * client that reconnects with `Last-Event-ID` misses nothing and sees nothing twice.
 */
export function eventRoutes(deps: ApiDeps): Router {
  const router = Router();
  router.use('/v1/sessions', requireRole(deps.registry, 'client'));

  router.get('/v1/sessions/:sessionId/events', async (request: Request, response: Response) => {
    const session = await ownedSession(deps, principalOf(response), String(request.params.sessionId));
    const resumeFrom = request.get('Last-Event-ID') ?? '';
    let lastId = STREAM_ID.test(resumeFrom) ? resumeFrom : '0';
    await deps.signals.start();

    response.status(200).set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    response.flushHeaders();

    let open = true;
    let draining: Promise<void> = Promise.resolve();
    const drain = () => {
      draining = draining
        .then(async () => {
          while (open) {
            const batch = await deps.sessions.readEvents(session.sessionId, lastId);
            for (const { id, event } of batch) {
              response.write(`id: ${id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
              lastId = id;
            }
            if (batch.length < 100) return;
          }
        })
        .catch((error: unknown) => {
          deps.logger.warn({ sessionId: session.sessionId, err: error }, 'event stream read failed');
          response.end();
        });
    };
    const stopListening = deps.signals.listen(session.sessionId, drain);
    const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), HEARTBEAT_MS);
    request.on('close', () => {
      open = false;
      stopListening();
      clearInterval(heartbeat);
    });
    drain();
  });

  return router;
}
