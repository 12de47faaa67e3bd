import { createServer, type RequestListener, type Server } from 'node:http';

export interface HttpServerSettings {
  /** Time a client has to send the request's headers (slowloris). */
  headersTimeoutMs: number;
  /** Time a client has to send the whole request, body included. */
  requestTimeoutMs: number;
  /** How long an idle keep-alive connection stays open. */
  keepAliveTimeoutMs: number;
}

/**
 * The API's HTTP server with its timeouts set: a client that trickles its headers or body, or
 * holds idle connections open, cannot tie the server's sockets up. The timeouts bound receiving
 * a request only, so `?wait=` long-polls and event streams (which send heartbeats) are unaffected.
 */
export function createApiServer(app: RequestListener, settings: HttpServerSettings): Server {
  const server = createServer(
    {
      headersTimeout: settings.headersTimeoutMs,
      requestTimeout: settings.requestTimeoutMs,
      // How often Node looks for requests past their timeouts; its 30 s default would let a
      // short timeout run up to half a minute late.
      connectionsCheckingInterval: Math.max(100, Math.min(1_000, settings.headersTimeoutMs / 2)),
    },
    app,
  );
  server.keepAliveTimeout = settings.keepAliveTimeoutMs;
  server.maxHeadersCount = 100;
  return server;
}
