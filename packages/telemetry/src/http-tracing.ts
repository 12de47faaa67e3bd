import type { IncomingMessage, ServerResponse } from 'node:http';
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { tracer } from './spans.ts';

export interface HttpTracingOptions {
  /** The matched route template (`/v1/sessions/:sessionId/turns`), known once the request is routed. */
  routeOf(request: IncomingMessage): string | undefined;
  /** Paths not worth a span (probes, scrapes, static assets). */
  ignore(path: string): boolean;
}

/**
 * A server span per request, the root of a turn's trace (or the child of a caller's `traceparent`).
 * Handlers run inside it, so the spans they start and the lines they log belong to it. Named by
 * route, not path, so that ids do not make every span name unique.
 */
export function traceHttpRequests(options: HttpTracingOptions) {
  return (request: IncomingMessage, response: ServerResponse, next: () => void): void => {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    if (options.ignore(path)) {
      next();
      return;
    }
    const method = request.method ?? 'GET';
    const parent = propagation.extract(ROOT_CONTEXT, request.headers);
    const span = tracer().startSpan(
      method,
      {
        kind: SpanKind.SERVER,
        attributes: { 'http.request.method': method, 'url.path': path },
      },
      parent,
    );
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      const route = options.routeOf(request);
      if (route) {
        span.updateName(`${method} ${route}`);
        span.setAttribute('http.route', route);
      }
      span.setAttribute('http.response.status_code', response.statusCode);
      if (response.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    };
    response.once('finish', end);
    response.once('close', end);
    context.with(trace.setSpan(parent, span), next);
  };
}
