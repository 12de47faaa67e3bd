import type { NextFunction, Request, Response } from 'express';

/** Pages that set their own Content-Security-Policy (the support console; the queue board). */
const PAGES = /^\/(?:support|admin)(?:\/|$)/;

/**
 * Headers on every answer: no MIME sniffing, no framing, no referrer, same-origin isolation, HTTPS
 * only once a browser has seen it over TLS. JSON answers also get a CSP that lets nothing run and
 * `no-store`, because they carry conversations and must not sit in a shared or browser cache.
 */
export function securityHeaders() {
  return (request: Request, response: Response, next: NextFunction) => {
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('X-Frame-Options', 'DENY');
    response.setHeader('Referrer-Policy', 'no-referrer');
    response.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    response.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    response.setHeader('Strict-Transport-Security', 'max-age=63072000; includeSubDomains');
    if (!PAGES.test(request.path)) {
      response.setHeader('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
      response.setHeader('Cache-Control', 'no-store');
    }
    next();
  };
}
