/**
 * The container healthcheck (Dockerfile HEALTHCHECK, docker-compose.yml): exits 0 when the URL
 * answers 2xx within 2 s, else 1. Node is the one program every image of ours has (no curl).
 *
 *   node deploy/healthcheck.ts [url]
 *
 * Without a URL: HEALTHCHECK_URL, else /healthz on HEALTH_PORT (workers) or PORT (api, demo
 * backend), else on 8080.
 */
const port = process.env.HEALTH_PORT || process.env.PORT || '8080';
const url = process.argv[2] || process.env.HEALTHCHECK_URL || `http://127.0.0.1:${port}/healthz`;
try {
  const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
  process.exitCode = response.ok ? 0 : 1;
} catch {
  process.exitCode = 1;
}
