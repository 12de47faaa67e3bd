import { readFileSync } from 'node:fs';
import { type Response, Router } from 'express';

const CONSOLE_DIR = new URL('../support-console/', import.meta.url);

/**
 * The page may load its own script, style and icon and talk to this origin, and nothing else: no
 * inline script, no other origin, no framing. Customer text is shown on this page, so a message
 * that smuggles markup in must find nothing it could run.
 */
export const SUPPORT_CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const FILES: Record<string, { file: string; type: string }> = {
  '/support': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/support/console.js': { file: 'console.js', type: 'text/javascript; charset=utf-8' },
  '/support/console.css': { file: 'console.css', type: 'text/css; charset=utf-8' },
  '/support/favicon.svg': { file: 'favicon.svg', type: 'image/svg+xml' },
};

/** The support console at `/support`: a static page and script, read once, no build step. */
export function supportConsoleRoutes(): Router {
  const router = Router();
  for (const [path, { file, type }] of Object.entries(FILES)) {
    const content = readFileSync(new URL(file, CONSOLE_DIR));
    router.get(path, (_request, response: Response) => {
      response
        .status(200)
        .set({
          'Content-Type': type,
          'Content-Security-Policy': SUPPORT_CONSOLE_CSP,
          'X-Content-Type-Options': 'nosniff',
          'X-Frame-Options': 'DENY',
          'Referrer-Policy': 'no-referrer',
          'Cache-Control': 'no-cache',
        })
        .send(content);
    });
  }
  return router;
}
